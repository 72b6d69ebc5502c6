"""Thin routers: parse the request, call the catalog or a service, render."""
