"""How `pulumi preview` prints a run's policy events (pkg/backend/display/diff.go:
`renderDiffPolicyViolationEvent`, `renderDiffPolicyRemediationEvent`), for comparing
bascule's results with what pulumi-policy's integration tests expect the engine to print."""

from __future__ import annotations

from bascule.policy.result import PolicyRun


def display_type(type_: str) -> str:
    """tokens.Type.DisplayName: `random:index/randomUuid:RandomUuid` is shown
    `random:index:RandomUuid`."""
    parts = type_.split(":")
    if len(parts) != 3 or not parts[2]:
        return type_
    package, module, name = parts
    suffix = "/" + name[0].lower() + name[1:]
    if module.endswith(suffix):
        module = module[: -len(suffix)]
    return f"{package}:{module}:{name}"


def clause(urn: str) -> str:
    if not urn:
        return ""
    type_ = urn.split("::")[2].split("$")[-1]
    return f"  ({display_type(type_)}: {urn.rsplit('::', 1)[-1]})"


def engine_output(run: PolicyRun, root_urn: str) -> str:
    """The events' lines; a stack-wide violation is the engine's root stack's."""
    lines = []
    for r in run.remediations:
        lines.append(f"    {r.pack_name}@v{r.pack_version} [remediate]  {r.policy}{clause(r.urn)}")
    for v in run.violations:
        severity = f" [severity: {v.severity}]" if v.severity else ""
        heading = f"[{v.level}]{severity}  {v.policy}{clause(v.urn or root_urn)}"
        lines.append(f"    {v.pack_name}@v{v.pack_version} {heading}")
        lines.extend(f"    {line}" for line in v.full_message.splitlines())
    return "\n".join(lines) + "\n"
