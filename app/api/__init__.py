"""HTTP transport: the only package that imports FastAPI or Starlette."""
