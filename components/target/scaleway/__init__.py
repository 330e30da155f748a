"""The target on Scaleway (pulumiverse-scaleway): `estate.build_target` builds it. Nothing is
imported here: bascule's readers import `catalog` alone, without the Pulumi SDKs."""
