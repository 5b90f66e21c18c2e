"""Documents from the registry: decisions, rosters and task lists as Markdown, HTML, Word and PDF.

``documents`` builds a ``document.Document`` by rendering a template (``templating``) with the
facts of ``context``; ``markdown``, ``html``, ``docx`` and ``pdf`` write it, all following
``layout``; ``service`` holds the use cases the CLI calls. docs/rendering.md describes it all.
"""
