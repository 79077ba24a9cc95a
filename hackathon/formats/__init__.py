"""Our date formats where Django's differ from what the pages need (FORMAT_MODULE_PATH)."""
