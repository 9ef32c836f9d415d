"""One router per resource of the web app; :func:`flows.web.app.create_app` includes them."""
