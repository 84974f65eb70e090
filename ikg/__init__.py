"""innovation-kg command line entry point."""
