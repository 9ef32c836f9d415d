"""Old home of the review queries: re-exports storage.briefs, review_queue, search and spikes
(``MentionSpan`` is now extractors.models.Mention). Import from those modules."""

# TEMPORARY facade (issue 18): deleted at merge

from extractors.models import (
    Mention as MentionSpan,
)
from extractors.models import (
    TextSource,
)
from storage._sql import (
    when_expr,
)
from storage.briefs import (
    STUB_LABELS,
    ArticleBrief,
    Entity,
)
from storage.briefs import (
    list_select as _list_select,
)
from storage.briefs import (
    to_brief as _brief,
)
from storage.review_queue import (
    LAST_DIGEST,
    LAST_REVIEW,
    STATUSES,
    ArticleDetail,
    ReviewEventRow,
    article_detail,
    articles_by_id,
    cluster_members,
    cluster_sizes,
    flagged_articles,
    get_marker,
    mark,
    mentions_for,
    review_counts,
    set_marker,
    texts_for,
)
from storage.search import (
    ArticleFilter,
    FilterOptions,
    Page,
    export_articles,
    feeds_of,
    filter_options,
    fts_query,
    search_articles,
)
from storage.search import (
    apply_filter as _apply_filter,
)
from storage.spikes import (
    EntitySeries,
    entity_evidence,
    entity_series,
)

__all__ = [
    "ArticleBrief",
    "ArticleDetail",
    "ArticleFilter",
    "Entity",
    "EntitySeries",
    "FilterOptions",
    "LAST_DIGEST",
    "LAST_REVIEW",
    "MentionSpan",
    "Page",
    "ReviewEventRow",
    "STATUSES",
    "STUB_LABELS",
    "TextSource",
    "_apply_filter",
    "_brief",
    "_list_select",
    "article_detail",
    "articles_by_id",
    "cluster_members",
    "cluster_sizes",
    "entity_evidence",
    "entity_series",
    "export_articles",
    "feeds_of",
    "filter_options",
    "flagged_articles",
    "fts_query",
    "get_marker",
    "mark",
    "mentions_for",
    "review_counts",
    "search_articles",
    "set_marker",
    "texts_for",
    "when_expr",
]
