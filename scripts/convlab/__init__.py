"""Library behind the workflow's scripts: each module is small, importable and tested."""
