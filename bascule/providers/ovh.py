"""OVHcloud: its KMS (OKMS) and S3 object storage, beside an OpenStack tenancy.

Sources (read 2026-12-01):
- pulumi-ovh 2.22 types: the SDK installed in `.venv` (pulumi_ovh). S3 buckets are
  `ovh:CloudProject/storage:Storage` and `ovh:index/cloudStorageObjectBucket:
  CloudStorageObjectBucket` (pulumi.com/registry/packages/ovh/api-docs/cloudstorageobjectbucket/);
  OKMS service keys are spelled `ovh:Okms/serviceKey:ServiceKey` by the SDK and
  `ovh:okms/serviceKey:ServiceKey` in some exports: both are listed.
- Terraform: the provider pulumi-ovh bridges (registry.terraform.io/providers/ovh/ovh), types
  as the tfplan export has given them to checkov (moved here unchanged, not re-read).
- The OVH provider has no region: each OVHcloud resource states its own (`region`,
  `regionName`), which the residency rule reads.
"""

from __future__ import annotations

from bascule.providers.facts import TARGET, Part, ProviderFacts

FACTS = ProviderFacts(
    name="ovh",
    estate=TARGET,
    label="OVHcloud",
    packages=("ovh",),
    region_provider=None,
    tf_provider="registry.terraform.io/ovh/ovh",
    tf_types={
        "ovh:Okms/okms:Okms": "ovh_okms",
        "ovh:Okms/serviceKey:ServiceKey": "ovh_okms_service_key",
    },
    unmapped={
        "pulumi:providers:ovh": "provider configuration (checked by bascule's SOV rules)",
        "ovh:CloudProject/storage:Storage": "OVHcloud object storage bucket: no checkov check",
    },
    parity_types={
        Part.BUCKET: (
            "ovh:CloudProject/storage:Storage",
            "ovh:index/cloudStorageObjectBucket:CloudStorageObjectBucket",
        ),
        Part.KEY: ("ovh:Okms/serviceKey:ServiceKey", "ovh:okms/serviceKey:ServiceKey"),
    },
)
