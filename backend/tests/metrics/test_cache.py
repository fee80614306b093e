"""The metric cache: one computation per question and data version, bounded in size."""

from veelocity.metrics.cache import MetricCache


def test_the_same_question_at_the_same_version_is_computed_once() -> None:
    cache = MetricCache()
    calls: list[str] = []

    def compute() -> str:
        calls.append("computed")
        return "answer"

    assert cache.get_or_compute("v1", ("dora", 30), compute) == "answer"
    assert cache.get_or_compute("v1", ("dora", 30), compute) == "answer"
    assert calls == ["computed"]
    assert (cache.hits, cache.misses) == (1, 1)


def test_a_new_data_version_computes_again_and_drops_the_old_answers() -> None:
    cache = MetricCache()
    assert cache.get_or_compute("v1", "q", lambda: 1) == 1
    assert cache.get_or_compute("v2", "q", lambda: 2) == 2
    assert cache.get_or_compute("v2", "q", lambda: 3) == 2
    # Back to an old version (another reader's older snapshot): nothing of v2 is reused.
    assert cache.get_or_compute("v1", "q", lambda: 4) == 4


def test_the_cache_keeps_at_most_its_size_dropping_the_least_recently_used() -> None:
    cache = MetricCache(max_entries=2)
    cache.get_or_compute("v", "a", lambda: "a1")
    cache.get_or_compute("v", "b", lambda: "b1")
    cache.get_or_compute("v", "a", lambda: "a2")  # a is now the most recent
    cache.get_or_compute("v", "c", lambda: "c1")  # b goes
    assert cache.get_or_compute("v", "a", lambda: "a3") == "a1"
    assert cache.get_or_compute("v", "b", lambda: "b2") == "b2"
