"""The build: content/ -> a static site (see pipeline.build)."""
