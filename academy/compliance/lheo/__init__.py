"""LHEO 2.3: the training offer exchanged with CARIF-OREF catalogues and public funders.

``export.offer_xml`` writes the published catalogue and its upcoming sessions (offre →
formation → action → session); ``importer.import_lheo`` reads courses back, refusing a file that
does not validate against the shipped XSD (``lheo-2.3.xsd``) with the schema's message, the line
and the element.
"""
