"""The morning review: flagged articles as stories grouped by state (``stories``), mentions
highlighted and snippets (``highlight``), spike detection (``spikes``), the static SVG map and
chart (``charts``, shapes in ``mapdata/``), the digest (``digest``, ``templates/digest.html``)
and the JSON shapes of ``review --json`` (``export``)."""
