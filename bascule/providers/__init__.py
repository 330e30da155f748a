"""Per-provider facts bascule reads in one place: each target provider's module names its
Pulumi packages and resource types, the provider resource that carries its region, its
Terraform equivalents (tfplan export) and its parity vocabulary. Parity, the export mapping
and the rules' type lists read their per-provider parts from here.
"""
