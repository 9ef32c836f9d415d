"""The bundled offline demo news site (``demo.site``) and the ``make demo`` runner (``demo.run``).

Everything here is fixture data written for borderwatch: the outlets are fictional, the events
are fictional, and the site is served from loopback by the standard library only.
"""
