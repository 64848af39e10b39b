"""archiver: import a person's tweets and blog posts into Markdown and build a static site."""

__version__ = "0.1.0"
