"""Moved to flows/review/charts.py (issue 18)."""

# TEMPORARY facade (issue 18): deleted at merge
from flows.review.charts import (
    CONTEXT,
    DISPUTED_STROKE,
    EMPTY,
    MAP_FILE,
    SCALE,
    SERIES_COLOURS,
    MapData,
    Shape,
    map_data,
    map_svg,
    shade,
    spike_threshold_line,
    timeline_svg,
)

__all__ = [
    "CONTEXT",
    "DISPUTED_STROKE",
    "EMPTY",
    "MAP_FILE",
    "SCALE",
    "SERIES_COLOURS",
    "MapData",
    "Shape",
    "map_data",
    "map_svg",
    "shade",
    "spike_threshold_line",
    "timeline_svg",
]
