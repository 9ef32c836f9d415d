"""Moved to flows/review/ (issue 18)."""

# TEMPORARY facade (issue 18): deleted at merge
from flows.review.digest import (
    TEMPLATES,
    Digest,
    collect_digest,
    digest_pictures,
    render_html,
    render_markdown,
    summary_text,
)
from flows.review.export import article_json, dumps, iso, story_json
from flows.review.highlight import (
    MENTION_PRIORITY,
    Snippet,
    clean_spans,
    highlight_html,
    make_snippet,
    pick_mention,
)
from flows.review.spikes import (
    SPIKE_BASELINE_DAYS,
    SPIKE_K_MEAN,
    SPIKE_K_SD,
    SPIKE_MIN_COUNT,
    Spike,
    detect_spikes,
    spike_rule_text,
    spike_threshold,
    spikes_at,
)
from flows.review.stories import StateGroup, Story, collect_stories, group_stories

__all__ = [
    "MENTION_PRIORITY",
    "SPIKE_BASELINE_DAYS",
    "SPIKE_K_MEAN",
    "SPIKE_K_SD",
    "SPIKE_MIN_COUNT",
    "TEMPLATES",
    "Digest",
    "Snippet",
    "Spike",
    "StateGroup",
    "Story",
    "article_json",
    "clean_spans",
    "collect_digest",
    "collect_stories",
    "detect_spikes",
    "digest_pictures",
    "dumps",
    "group_stories",
    "highlight_html",
    "iso",
    "make_snippet",
    "pick_mention",
    "render_html",
    "render_markdown",
    "spike_rule_text",
    "spike_threshold",
    "spikes_at",
    "story_json",
    "summary_text",
]
