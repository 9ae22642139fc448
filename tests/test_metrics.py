import pytest

from storyline.eval.metrics import cluster_scores


def test_metrics_perfect_clustering_scores_one():
    gold = {"a": 1, "b": 1, "c": 2}
    s = cluster_scores(gold, {"a": "x", "b": "x", "c": "y"})
    assert s.b3_f1 == pytest.approx(1.0)
    assert s.pairwise_f1 == pytest.approx(1.0)


def test_metrics_all_in_one_cluster_has_full_recall_low_precision():
    gold = {"a": 1, "b": 1, "c": 2, "d": 3}
    s = cluster_scores(gold, {k: 0 for k in gold})
    assert s.b3_recall == pytest.approx(1.0)
    # B-cubed precision: (2/4 + 2/4 + 1/4 + 1/4) / 4
    assert s.b3_precision == pytest.approx(0.375)


def test_metrics_missing_predictions_count_as_singletons():
    gold = {"a": 1, "b": 1}
    s = cluster_scores(gold, {"a": "x"})
    assert s.b3_precision == pytest.approx(1.0)
    assert s.b3_recall == pytest.approx(0.5)
    assert s.pairwise_f1 == 0.0


def test_metrics_empty_gold_is_an_error():
    with pytest.raises(ValueError):
        cluster_scores({}, {})
