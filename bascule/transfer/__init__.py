"""`bascule transfer`: plan, run and verify a wave's data transfer (Azure Blob to Swift).

plan.py derives the job from a snapshot; rclone_config.py writes rclone's configuration and
maps the identities' environment variables; run.py copies with rclone; verify.py checks every
object and manifest.py writes the evidence. loopback.py starts the rehearsal servers.
"""
