import re
from collections import Counter
from pathlib import Path

import polib
from lxml import etree

from odoo.modules.module import get_manifest, get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

MODULE = "customer_credit_archive"
LANG = "zh_CN"

# Placeholders that must survive translation: inline templates {{ expr }} (mail subjects),
# str.format fields {name} / {}, printf fields %(name)s / %s / %d and the escaped %%.
PLACEHOLDER_RES = (
    re.compile(r"\{\{.*?\}\}", re.S),
    re.compile(r"\{[A-Za-z_]\w*\}|\{\}"),
    re.compile(r"%%|%\([A-Za-z_]\w*\)[sdfr]|%[sdfr]"),
)


def placeholders(text):
    found = Counter()
    for regex in PLACEHOLDER_RES:
        found.update(regex.findall(text))
        text = regex.sub(" ", text)
    return found


def _short(term, width=100):
    term = " ".join(term.split())
    return term if len(term) <= width else term[: width - 1] + "…"


@tagged("post_install", "-at_install")
class TestCreditTranslations(TransactionCase):
    """The translation template holds every term of the module and zh_CN translates them all."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.i18n_dir = Path(get_module_path(MODULE)) / "i18n"
        cls.pot = polib.pofile(str(cls.i18n_dir / f"{MODULE}.pot"))
        cls.po = polib.pofile(str(cls.i18n_dir / f"{LANG}.po"))
        cls.pot_ids = {entry.msgid for entry in cls.pot if not entry.obsolete and entry.msgid}

    def _demo_xmlids(self):
        """External ids created by the demo files: their terms are not meant for the template."""
        xmlids = set()
        module_path = Path(get_module_path(MODULE))
        for fname in get_manifest(MODULE).get("demo", []):
            if not fname.endswith(".xml"):
                continue
            for node in etree.parse(str(module_path / fname)).iter():
                xmlid = node.get("id") if isinstance(node.tag, str) else None
                if xmlid:
                    xmlids.add(xmlid if "." in xmlid else f"{MODULE}.{xmlid}")
        return xmlids

    def test_pot_holds_every_term_of_the_module(self):
        demo_xmlids = self._demo_xmlids()
        occurrences = {}
        # Odoo's own extractor, as `odoo --i18n-export` runs it: code (_, _lt, env._), views,
        # fields, selections, menus, actions, templates, reports and data records
        for __, ttype, name, res_id, source, __, __ in TranslationModuleReader(self.env.cr, modules=[MODULE]):
            if ttype in ("model", "model_terms") and res_id in demo_xmlids:
                continue
            occurrences.setdefault(source, f"{ttype}:{name}:{res_id}")
        missing = sorted(set(occurrences) - self.pot_ids)
        if missing:
            lines = "\n".join(f"  {_short(term)!r}  ({occurrences[term]})" for term in missing)
            self.fail(f"{len(missing)} term(s) of the module missing from i18n/{MODULE}.pot "
                      f"(regenerate it with odoo --i18n-export):\n{lines}")

    def test_zh_cn_translates_every_term(self):
        translations = {
            entry.msgid: entry
            for entry in self.po
            if not entry.obsolete and entry.msgid
        }
        missing = []
        for msgid in sorted(self.pot_ids):
            entry = translations.get(msgid)
            if entry is None:
                missing.append(f"  {_short(msgid)!r}: not in {LANG}.po")
            elif "fuzzy" in entry.flags:
                missing.append(f"  {_short(msgid)!r}: fuzzy")
            elif not entry.msgstr.strip():
                missing.append(f"  {_short(msgid)!r}: empty msgstr")
        if missing:
            lines = "\n".join(missing)
            self.fail(f"{len(missing)} term(s) of i18n/{MODULE}.pot without a {LANG} translation:\n{lines}")

    def test_zh_cn_keeps_the_placeholders(self):
        wrong = []
        for entry in self.po:
            if entry.obsolete or not entry.msgid or not entry.msgstr:
                continue
            expected, got = placeholders(entry.msgid), placeholders(entry.msgstr)
            if expected != got:
                wrong.append(f"  {_short(entry.msgid)!r}: expected {sorted(expected.elements())}, "
                             f"{LANG} has {sorted(got.elements())}")
        if wrong:
            lines = "\n".join(wrong)
            self.fail(f"{len(wrong)} {LANG} translation(s) with placeholders not matching their term:\n{lines}")
