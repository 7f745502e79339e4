"""Signals of certification, for the apps above it (they may not be imported from here).

``certificate_issued`` is sent after the transaction that issued or corrected a certificate has
committed, with ``certificate`` (the new current ``Certificate``) as keyword argument, and only
when the certificate was e-mailed to its holder (``send=True``).
"""

from django.dispatch import Signal

certificate_issued = Signal()
