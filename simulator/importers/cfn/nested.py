"""Nested stacks (``AWS::CloudFormation::Stack``) whose template is on the user's disk.

A template packaged for deployment names its nested template by URL; before packaging (and in
AWS CDK output, through the ``aws:asset:path`` metadata) it is a file beside the parent. Such a
nested stack is read as part of the parent: its parameters are the parent's resolved values,
its resources join the import, and ``Fn::GetAtt [Stack, Outputs.Name]`` gives its outputs.
A template only on S3 stays unknown, named.
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudformation-stack.html
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gluesim.kb.errors import LocatedError


class NestedStacks:
    """The ``AWS::CloudFormation::Stack`` handler; expects the template reader's attributes."""

    def _CloudFormation_Stack(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        from gluesim.simulator.importers.cfn import importer, loader

        path = self.nested_template(logical_id, props, where)
        if path is None:
            return
        if self.stack.depth >= importer.MAX_NESTING:
            raise LocatedError(where, f"nested stacks go deeper than {importer.MAX_NESTING} levels; expected a shallower tree")
        parameters = self.obj(props.get("Parameters"), where, "the nested stack's Parameters")
        child = importer.Stack(self.stack.region, self.stack.account_id, f"{self.stack.name}-{logical_id}",
                               self.stack.depth + 1)
        records, outputs = importer.read_stack(loader.load(path), str(path), parameters, child, self.notices,
                                               {k: f"{where}: Parameters.{k}" for k in parameters})
        for key, items in records.items():
            self.acc.out[key].extend(items)
        self.names.nested_outputs[logical_id] = outputs

    def nested_template(self, logical_id: str, props: dict[str, Any], where: str) -> Path | None:
        """The nested template's file (relative to the parent's folder), or None when it is only on S3."""
        metadata = self.r.resources[logical_id].get("Metadata")
        url = props.get("TemplateURL")
        local = metadata.get("aws:asset:path") if isinstance(metadata, dict) else None
        if local is None and isinstance(url, str) and "://" not in url:
            local = url
        if not isinstance(local, str):
            self.notices.unknown(where, f"nested stack {logical_id!r}: its template is not on this disk ({_shown(url)}); "
                                 "what it creates is unknown (import the nested template too, or give a local TemplateURL)")
            return None
        path = Path(self.r.name).parent / local
        if not path.is_file():
            raise LocatedError(where, f"nested stack {logical_id!r}: template {local!r} not found beside {Path(self.r.name).name}")
        return path


def _shown(url: Any) -> str:
    return repr(url) if isinstance(url, str) else "a URL known only after deployment"
