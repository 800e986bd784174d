"""Requirements on actions without resource types are checked on "*", which only Resource "*" grants.

https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

from gluesim.simulator import scenario
from gluesim.simulator.engine import simulate

FIXTURES = Path(__file__).parents[1] / "fixtures"
JOBS = "arn:aws:glue:us-east-1:111122223333:job/*"


def _connector_job(glue_statement: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(yaml.safe_load((FIXTURES / "passing.yaml").read_text()))
    data["account"] = {"id": "111122223333", "region": "us-east-1"}
    data["connectors"] = [{"name": "rest", "type": "custom"}]
    data["data_stores"] = [{"name": "api", "engine": "rest", "public": True}]
    data["connections"] = [{"name": "api", "type": "CUSTOM", "connector": "rest", "data_store": "api"}]
    data["jobs"][0]["sources"] = [{"connection": "api"}]
    data["jobs"][0]["connections"] = ["api"]
    role = data["roles"][0]
    role["managed_policies"] = []
    role["inline_policies"]["Glue"] = {"Version": "2012-10-17", "Statement": [glue_statement]}
    return data


def _get_job_failures(data: dict[str, Any]) -> list[Any]:
    s = scenario.loads(json.dumps(data), "t.yaml")
    results = {r.key: r for r in simulate(s).results}
    failures = results[("ana", "action.run-job", "copy")].failures
    return [f for f in failures if f.requirement == "job-role.connector-get-job"]


def test_get_jobs_granted_only_on_job_arns_fails_the_connector_requirement() -> None:
    data = _connector_job({"Effect": "Allow", "Action": ["glue:GetJob", "glue:GetJobs"], "Resource": JOBS})
    (failure,) = _get_job_failures(data)
    assert (failure.iam.action, failure.iam.resource) == ("glue:GetJobs", "*")
    assert failure.iam.evaluation.decision.value == "implicitDeny"
    assert not failure.unknown


def test_get_jobs_granted_on_star_passes_the_connector_requirement() -> None:
    data = _connector_job({"Effect": "Allow", "Action": ["glue:GetJob", "glue:GetJobs"], "Resource": "*"})
    assert _get_job_failures(data) == []
