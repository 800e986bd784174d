"""Bad input never crashes an importer: any JSON-shaped value gives a result or one GluesimError.

Shapes start from the public cloudmapper demo export (duo-labs/cloudmapper @ ec8fbf20,
BSD-3-Clause; see ``samples/authorization-details/SOURCES.md``) with random parts replaced.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gluesim.kb.errors import GluesimError
from gluesim.simulator.importers import gaad
from gluesim.simulator.importers.cfn import importer, loader
from gluesim.simulator.importers.common import Notices
from gluesim.simulator.importers.records import Imported
from gluesim.simulator.importers.tomodel import to_scenario

DEMO = json.loads((Path(__file__).parent / "samples" / "authorization-details" / "cloudmapper-demo.json").read_text())

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)


def paths(value, prefix=()):
    """Every (path) into a JSON value."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*prefix, index))


ALL_PATHS = [p for p in paths(DEMO) if p]


@settings(max_examples=150)
@given(st.sampled_from(ALL_PATHS), json_values)
def test_gaad_with_any_part_replaced_imports_or_says_where(path, replacement) -> None:
    data = copy.deepcopy(DEMO)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = replacement
    try:
        result = gaad.read(data, "x.json", Notices())
        imported = Imported(users=result.users, groups=result.groups, roles=result.roles, managed_policies=result.managed_policies, account_id=result.account_id, partition=result.partition)
        to_scenario(imported, Notices())
    except GluesimError:
        pass


intrinsics = st.recursive(
    st.text(max_size=6) | st.integers(-2, 4) | st.booleans(),
    lambda inner: st.one_of(
        st.builds(lambda a: {"Ref": a}, st.sampled_from(["P", "R", "AWS::Region", "AWS::NoValue", "Nope"])),
        st.builds(lambda a: {"Fn::Join": a}, st.lists(inner, max_size=3)),
        st.builds(lambda a: {"Fn::Select": a}, st.lists(inner, max_size=3)),
        st.builds(lambda a: {"Fn::Split": a}, st.lists(inner, max_size=3)),
        st.builds(lambda a: {"Fn::Sub": a}, inner),
        st.builds(lambda a: {"Fn::If": a}, st.lists(inner, max_size=3)),
        st.builds(lambda a: {"Fn::GetAtt": a}, inner),
        st.builds(lambda a: {"Fn::FindInMap": a}, st.lists(inner, max_size=4)),
        st.builds(lambda a: {"Fn::Cidr": a}, st.lists(inner, max_size=3)),
        st.lists(inner, max_size=3),
    ),
    max_leaves=10,
)


@settings(max_examples=300)
@given(intrinsics, st.sampled_from(["AWS::IAM::Role", "AWS::Glue::Job", "AWS::EC2::SecurityGroup", "AWS::S3::Bucket", "AWS::Glue::Connection"]))
def test_any_intrinsic_expression_resolves_or_says_where(expression, kind) -> None:
    template = {
        "Parameters": {"P": {"Type": "String", "Default": "x"}},
        "Conditions": {"C": {"Fn::Equals": ["a", "a"]}},
        "Mappings": {"M": {"a": {"b": "c"}}},
        "Resources": {"R": {"Type": kind, "Properties": {"Name": expression, "Role": expression, "GroupDescription": expression}}},
    }
    try:
        importer.read_template(template, "t.json", {}, "us-east-1", "111122223333", Notices())
    except GluesimError:
        pass


@settings(max_examples=100)
@given(st.text(max_size=200))
def test_any_text_loads_as_a_template_or_says_where(text) -> None:
    try:
        loader.loads(text, "t.yaml")
    except GluesimError:
        pass


BUNDLE = Path(__file__).parent / "bundle"
BUNDLE_FILES = sorted(str(p.relative_to(BUNDLE)) for p in BUNDLE.rglob("*.json"))


@settings(max_examples=60)
@given(st.sampled_from(BUNDLE_FILES), json_values)
def test_a_bundle_with_any_file_replaced_imports_or_says_where(tmp_path_factory, relative, replacement) -> None:
    import shutil

    from gluesim.simulator.importers import import_scenario

    folder = tmp_path_factory.mktemp("bundle") / "export"
    shutil.copytree(BUNDLE, folder)
    (folder / relative).write_text(json.dumps(replacement))
    try:
        import_scenario([folder], actor=None)
    except GluesimError:
        pass


REPLACEMENTS = [[], {}, [[]], {"Ref": []}, {"Fn::GetAtt": {}}, "x", 5, None, True, {"Fn::Sub": 3}, {"Ref": "AWS::NoValue"}, {"Fn::If": ["x", 1, 2]}]


def test_every_single_value_of_a_real_template_can_be_wrong_without_a_crash() -> None:
    """Each value of aws-samples/aws-glue-with-s2s-vpn ``Templates/glue.yaml`` (MIT-0), replaced in turn."""
    template = json.loads(json.dumps(loader.load(Path(__file__).parent / "samples" / "cloudformation" / "s2s-vpn-glue.yaml")))
    places = [p for p in paths(template) if p and p[0] in ("Resources", "Conditions", "Parameters", "Mappings")]
    assert len(places) > 100
    for place in places:
        for replacement in REPLACEMENTS:
            data = copy.deepcopy(template)
            target = data
            for key in place[:-1]:
                target = target[key]
            target[place[-1]] = replacement
            try:
                importer.read_template(data, "glue.yaml", {}, "us-east-1", "111122223333", Notices())
            except GluesimError:
                pass
