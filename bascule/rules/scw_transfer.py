"""MIG-015 on Scaleway (helpers, no rules): a wave's transfer application writes only its
job's buckets.

The application is named `<platform>-wave<N>-<job>-transfer` (as the OpenStack credential);
what it may do is the union of the IAM policies reaching it (its own, and its groups', by
`groupId` of a group listing it or a GroupMembership) and, on each bucket with a bucket
policy, the statements naming `application_id:<id>`. Sources, read 2026-12-02: Scaleway
docs-content pages/object-storage/reference-content/s3-iam-permissions-equivalence.mdx
(the Object Storage permission sets), pages/object-storage/api-cli/bucket-policy.mdx
(principals `{"SCW": "application_id:<id>"}`, actions, `<bucket>` and `<bucket>/*`), and
pulumiverse-scaleway 1.60 `iam.Policy` (applicationId, groupId, userId, rules[]:
permissionSetNames, projectIds, organizationId), `iam.Group` (applicationIds),
`iam.GroupMembership` (groupId, applicationId), `iam.ApiKey` (applicationId, userId).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from bascule.rules import props as p
from bascule.rules.base import Finding, StackResource
from bascule.rules.check import Params, Resources, findings
from bascule.rules.storage import SCW_BUCKET_POLICIES
from bascule.rules.types import (
    SCW_API_KEYS,
    SCW_APPLICATIONS,
    SCW_BUCKETS,
    SCW_GROUPS,
    SCW_MEMBERSHIPS,
    SCW_POLICIES,
)

SCW_TRANSFER_TYPES = (
    *SCW_APPLICATIONS,
    *SCW_POLICIES,
    *SCW_GROUPS,
    *SCW_MEMBERSHIPS,
    *SCW_API_KEYS,
    *SCW_BUCKET_POLICIES,
    *SCW_BUCKETS,
)
# What rclone needs to copy and verify (bucket-policy.mdx: HeadBucket and listing are
# s3:ListBucket, HeadObject is s3:GetObject, multipart and copy are s3:PutObject).
BUCKET_ACTIONS = ("s3:listbucket", "s3:getobject", "s3:putobject")
PSEUDO = "pseudonymisation-keys"


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and not p.is_unknown(value) else None


def _name(res: StackResource) -> str:
    return _text(res.props.get("name")) or res.name


def _refers(value: Any, target: StackResource, holder: StackResource) -> bool:
    """`value` (an id field of `holder`) names `target`: by id, or by the dependency the
    reference made when the id is not known yet."""
    wanted = _text(target.props.get("id"))
    if _text(value) is not None:
        return wanted is not None and _text(value) == wanted
    return p.is_unknown(value) and target.urn in holder.dependencies


def transfer_applications(
    resources: Resources, credential_wave: Any
) -> list[tuple[StackResource, tuple[str, str]]]:
    found = []
    for res in resources:
        if res.type in SCW_APPLICATIONS:
            parsed = credential_wave(_name(res))
            if parsed is not None:
                found.append((res, parsed))
    return found


def _groups_of(app: StackResource, resources: Resources) -> list[StackResource]:
    groups = [r for r in resources if r.type in SCW_GROUPS]
    held = [
        g
        for g in groups
        if any(_refers(v, app, g) for v in p.as_seq(g.props.get("applicationIds")))
    ]
    for member in resources:
        if member.type in SCW_MEMBERSHIPS and _refers(
            member.props.get("applicationId"), app, member
        ):
            held += [g for g in groups if _refers(member.props.get("groupId"), g, member)]
    return held


def _policies_of(app: StackResource, resources: Resources) -> Iterator[tuple[StackResource, str]]:
    groups = _groups_of(app, resources)
    for policy in resources:
        if policy.type not in SCW_POLICIES:
            continue
        if _refers(policy.props.get("applicationId"), app, policy):
            yield policy, ""
        for group in groups:
            if _refers(policy.props.get("groupId"), group, policy):
                yield policy, f" (through group '{_name(group)}')"


def _job_buckets(resources: Resources, wave: str, job: str) -> dict[str, StackResource]:
    found = {}
    for res in resources:
        tags = p.metadata_of(res.props)
        name = _text(res.props.get("name"))
        if res.type not in SCW_BUCKETS or not name or "dataset" not in tags:
            continue
        same_job = (tags.get("classification") == PSEUDO) == (job == PSEUDO)
        if p.wave_of(res.props) == wave and same_job:
            found[name] = res
    return found


def _judge_rule(
    rule: Mapping[str, Any], at: str, projects: set[str], allowed: list[str], whose: str
) -> Iterator[str]:
    org = rule.get("organizationId")
    if p.has_value(org) and not p.is_unknown(org):
        yield f"{at} is scoped to organization '{org}': {whose} reaches its datasets' project only"
    ids = rule.get("projectIds")
    if not p.is_unknown(ids):
        for project in p.str_values(ids):
            if not p.is_unknown(project) and project not in projects:
                yield f"{at} reaches project '{project}', which holds no bucket of {whose}"
        if not p.has_value(org) and not p.str_values(ids):
            yield f"cannot verify {at}: it names neither a project nor an organization"
    sets = rule.get("permissionSetNames")
    if p.is_unknown(sets):
        return
    if not p.is_seq(sets):
        yield f"cannot verify {at}: permissionSetNames is not a list"
        return
    extra = [s for s in p.str_values(sets) if s not in allowed]
    if extra:
        yield (
            f"{at} grants {p.fmt_list(extra)}: {whose} lists, reads and writes objects, and "
            f"uses its buckets' keys, only (allowed: {p.fmt_list(allowed)})"
        )


def _judge_policy(
    policy: StackResource, via: str, whose: str, projects: set[str], allowed: list[str]
) -> Iterator[str]:
    rules = policy.props.get("rules")
    if p.is_unknown(rules):
        return
    entries = list(p.iter_mappings(rules))
    if not p.is_seq(rules) or len(entries) != len(p.as_seq(rules)):
        yield f"cannot verify IAM policy '{_name(policy)}'{via} of {whose}: rules is not a list"
        return
    for index, rule in enumerate(entries):
        at = f"IAM policy '{_name(policy)}'{via} rules[{index}]"
        yield from _judge_rule(rule, at, projects, allowed, whose)


def _statements(raw: Any) -> list[Mapping[str, Any]] | None:
    try:
        doc = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return None
    if not isinstance(doc, Mapping):
        return None
    return list(p.iter_mappings(doc.get("Statement")))


def _policy_bucket(bp: StackResource) -> str | None:
    """The bucket a bucket policy sets, by name (`<region>/<name>` or `<name>`)."""
    text = _text(bp.props.get("bucket"))
    return text.rsplit("/", 1)[-1] if text else None


def _names_app(statement: Mapping[str, Any], app_id: str) -> bool:
    principal = statement.get("Principal")
    values = p.as_seq(principal.get("SCW")) if isinstance(principal, Mapping) else ()
    return f"application_id:{app_id}" in [str(v).strip() for v in values]


def _judge_bucket_policy(
    bp: StackResource,
    app_id: str,
    credential: tuple[str, str],
    buckets: Mapping[str, StackResource],
    whose: str,
) -> Iterator[str]:
    statements = _statements(bp.props.get("policy"))
    if statements is None:
        return  # not JSON: PRT-005 says it cannot verify it
    named = [(i, s) for i, s in enumerate(statements) if _names_app(s, app_id)]
    bucket = _policy_bucket(bp) or ""
    for index, st in named:
        if str(st.get("Effect", "")).lower() != "allow":
            continue
        extra = [a for a in p.str_values(st.get("Action")) if a.lower() not in BUCKET_ACTIONS]
        if extra:
            yield (
                f"bucket policy of '{bucket}' Statement[{index}] allows {p.fmt_list(extra)} to "
                f"{whose}: s3:ListBucket, s3:GetObject, s3:PutObject only (never delete)"
            )
    if named and bucket not in buckets:
        wave, job = credential
        yield (
            f"bucket policy of '{bucket}' lets {whose} in: '{bucket}' is not one of wave "
            f"{wave}'s {job} buckets ({p.fmt_list(sorted(buckets))})"
        )


def _judge_shared_buckets(resources: Resources) -> Iterator[Finding]:
    """A bucket has one policy (a put replaces it): two resources setting it leave it to
    whichever applies last."""
    seen: dict[str, list[StackResource]] = {}
    for bp in resources:
        bucket = _policy_bucket(bp) if bp.type in SCW_BUCKET_POLICIES else None
        if bucket is not None:
            seen.setdefault(bucket, []).append(bp)
    for bucket, policies in sorted(seen.items()):
        for bp in policies[1:] if len(policies) > 1 else ():
            yield Finding(
                f"cannot verify the policy of bucket '{bucket}': {len(policies)} bucket "
                "policies set it and the last one applied replaces the others",
                bp.urn,
            )


def _judge_keys(resources: Resources, apps: Sequence[StackResource]) -> Iterator[Finding]:
    """A key named for a transfer but held by a user: it carries that user's rights."""
    for key in resources:
        if key.type not in SCW_API_KEYS or "-transfer" not in key.name:
            continue
        owner = key.props.get("applicationId")
        if any(_refers(owner, app, key) for app in apps) or p.is_unknown(owner):
            continue
        if p.has_value(key.props.get("userId")):
            yield Finding(
                f"API key '{key.name}' belongs to a user: a transfer key belongs to its "
                "transfer application (a user's key carries every right of that user)",
                key.urn,
            )


# Permission sets that let a principal write or delete objects, and those that let it read
# them (docs-content pages/object-storage/reference-content/s3-iam-permissions-equivalence.mdx
# and pages/iam/reference-content/permission-sets.mdx, read 2026-12-02).
WRITE_SETS = (
    "ObjectStorageObjectsWrite",
    "ObjectStorageObjectsDelete",
    "ObjectStorageFullAccess",
    "AllProductsFullAccess",
)
READ_SETS = (
    "ObjectStorageObjectsRead",
    "ObjectStorageReadOnly",
    "ObjectStorageFullAccess",
    "AllProductsFullAccess",
    "AllProductsReadOnly",
)


def _reached_projects(
    policies: Sequence[StackResource], kinds: Sequence[str]
) -> tuple[set[str], bool]:
    """The projects where the policies grant their holder one of `kinds`, and whether one
    such rule is organization-wide (every project)."""
    projects: set[str] = set()
    organization = False
    for policy in policies:
        for rule in p.iter_mappings(policy.props.get("rules")):
            if not set(p.str_values(rule.get("permissionSetNames"))) & set(kinds):
                continue
            organization |= p.has_value(rule.get("organizationId"))
            projects |= {v for v in p.str_values(rule.get("projectIds")) if not p.is_unknown(v)}
    return projects, organization


def _bucket_project(bucket: StackResource) -> str | None:
    own = _text(bucket.props.get("projectId"))
    if own is None and bucket.provider is not None:
        own = _text(bucket.provider.props.get("projectId"))
    return own


def _judge_unfenced(
    resources: Resources,
    policies: Sequence[StackResource],
    fenced: set[str],
    job: set[str],
    whose: str,
) -> Iterator[Finding]:
    """Scaleway IAM is project-wide, and a bucket with no bucket policy follows IAM alone
    (docs-content pages/object-storage/api-cli/combining-iam-and-object-storage.mdx, read
    2026-12-02): the transfer application can then write every such bucket of its projects,
    and read it too when it holds a read set there (with KeyManagerKeyDecrypt, which it holds
    for its own SSE-KMS buckets, even an encrypted one)."""
    projects, organization = _reached_projects(policies, WRITE_SETS)
    if not projects and not organization:
        return
    read_projects, read_organization = _reached_projects(policies, READ_SETS)
    for bucket in resources:
        name = _text(bucket.props.get("name")) if bucket.type in SCW_BUCKETS else None
        if name is None or name in job or name in fenced:
            continue
        project = _bucket_project(bucket)
        if project is None and not organization:
            yield Finding(
                f"cannot verify whether {whose} can write bucket '{name}': the bucket states "
                "no project and no bucket policy fences it",
                bucket.urn,
            )
        elif organization or project in projects:
            where = f"project '{project}'" if project in projects else "organization-wide"
            can = "read and write" if read_organization or project in read_projects else "write"
            yield Finding(
                f"{whose} can {can} bucket '{name}' ({where}), which is not one of "
                "its job's: Scaleway IAM is project-wide and no bucket policy fences "
                f"'{name}'; put a bucket policy on it, or the wave's buckets in a project "
                "of their own",
                bucket.urn,
            )


def scaleway_findings(
    resources: Resources, params: Params, credential_wave: Any
) -> Iterator[Finding]:
    allowed = p.str_values(params["allowedPermissionSets"])
    apps = transfer_applications(resources, credential_wave)
    fenced = {_policy_bucket(bp) or "" for bp in resources if bp.type in SCW_BUCKET_POLICIES}
    for app, credential in apps:
        wave, job = credential
        whose = f"transfer application '{_name(app)}'"
        buckets = _job_buckets(resources, wave, job)
        projects = {str(_bucket_project(b)) for b in buckets.values()}
        held = list(_policies_of(app, resources))
        for policy, via in held:
            yield from findings(_judge_policy(policy, via, whose, projects, allowed), policy.urn)
        policies = [policy for policy, _ in held]
        yield from _judge_unfenced(resources, policies, fenced, set(buckets), whose)
        app_id = _text(app.props.get("id"))
        for bp in resources:
            if bp.type in SCW_BUCKET_POLICIES and app_id:
                yield from findings(
                    _judge_bucket_policy(bp, app_id, credential, buckets, whose), bp.urn
                )
    yield from _judge_keys(resources, [a for a, _ in apps])
    if apps:
        yield from _judge_shared_buckets(resources)
