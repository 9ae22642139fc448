"""Sources -> RawDocument: files, folders and stdin (more sources to come)."""
