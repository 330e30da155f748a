"""The one place bascule reaches into the Pulumi SDKs' internals (`pulumi`, `pulumi_policy`).

Every use of a private name of either SDK, and every SDK function bascule swaps for a faster
one, lives in this package and nowhere else (`tests/bascule/sdk/test_boundary.py` checks the
rest of the tree). Each shortcut is taken only when the installed SDK is the version it was
tested with (`versions.TESTED`, the versions `requirements.lock` pins); on any other version
the same work goes through the SDK's public path: slower, same results (tested).

- `versions`: the tested versions and the run-time check.
- `synth`: the synth's shortcuts through the `pulumi` runtime under mocks.
- `policy`: `pulumi_policy`'s analyzer servicer, its proxies, and the servicer capture.
- `collector`: garbage-collector tuning for the synth's large object graph.
"""
