"""The sync API: start, follow and cancel sync runs; test a source's connection."""
