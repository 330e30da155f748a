"""Report formats for a `PolicyRun`: text, json, sarif, junit, matrix (see `formats.render`)."""
