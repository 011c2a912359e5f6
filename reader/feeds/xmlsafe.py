"""The one hardened lxml XML parser configuration (feeds and OPML): no DTD loaded, no entity
resolved from one, no network, no huge trees. libxml2 still expands internal entities in some
places (attribute values) and follows external parameter entities, so callers also strip or
refuse DOCTYPEs (see fastxml._without_doctype and opml._parse_xml)."""

from __future__ import annotations

from lxml import etree


def hardened_parser(*, recover: bool = False) -> etree.XMLParser:
    """A fresh parser (lxml parsers are not shareable across threads)."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=recover,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )
