"""remediation (not one of the peer's scenarios): remediate-level policies rewrite a
resource's inputs, in order, each on the previous one's result, before validation.

`add-keepers` gives a keeper-less RandomUuid `{"owner": "policy"}`; `tag-keepers` then adds
`"tagged": "yes"` to whatever keepers there are; `keepers-validated` (mandatory, no
remediation) checks what analysis finally sees. `strip-internal` shows that Remediate, unlike
Analyze, gets the internal keys (`__defaults`).
"""

from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy

UUID = "random:index/randomUuid:RandomUuid"


def add_keepers(args):
    if args.resource_type == UUID and not args.props.get("keepers"):
        return {**args.props, "keepers": {"owner": "policy"}}
    return None


def tag_keepers(args):
    if args.resource_type == UUID and args.props.get("keepers"):
        return {**args.props, "keepers": {**args.props["keepers"], "tagged": "yes"}}
    return None


def saw_internal_keys(args):
    if args.resource_type == UUID and "__defaults" not in args.props:
        raise AssertionError("Remediate gets the internal keys")


def keepers_validated(args, report_violation):
    if args.resource_type != UUID:
        return
    assert "__defaults" not in args.props, "Analyze never gets the internal keys"
    keepers = args.props.get("keepers") or {}
    if keepers.get("tagged") != "yes":
        report_violation(f"keepers are not tagged: {dict(keepers)}")


def remediation(name, description, remediate):
    return ResourceValidationPolicy(
        name=name,
        description=description,
        enforcement_level=EnforcementLevel.REMEDIATE,
        remediate=remediate,
    )


PolicyPack(
    name="remediation-test-policy",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[
        remediation("add-keepers", "Gives a RandomUuid keepers.", add_keepers),
        remediation("tag-keepers", "Tags a RandomUuid's keepers.", tag_keepers),
        remediation("internal-keys", "Remediate sees the internal keys.", saw_internal_keys),
        ResourceValidationPolicy(
            name="keepers-validated",
            description="RandomUuid keepers are tagged.",
            validate=keepers_validated,
        ),
    ],
)
