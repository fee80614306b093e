"""The pull-request explorer: filtered, sorted, keyset-paged lists and one PR's detail."""
