"""Policy packs: CrossGuard adapters (`crossguard`), suppressions, and the offline runner
(`runner.run_policies`) that drives the real packs through Pulumi's analyzer gRPC protocol."""
