"""The source Azure estate, as Pulumi ComponentResources (entry point: estate.AzureEstate)."""
