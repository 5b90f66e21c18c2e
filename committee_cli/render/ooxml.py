"""WordprocessingML child order (ECMA-376 Part 1, Annex A, wml.xsd) and its normalisation.

Word "repairs" a file whose property elements are out of the schema's sequence; LibreOffice
does not mind. The .docx writer builds with python-docx (which keeps most of its own elements in
order) and adds elements python-docx has no API for; ``normalise`` then puts the children of
every property element below in the schema's order before the file is saved.
"""

from __future__ import annotations

import itertools

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# CT_PPrBase + CT_PPr (pPr, §17.3.1.26)
PPR = ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
       "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
       "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
       "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle "
       "rPr sectPr pPrChange")
# EG_RPrBase in CT_RPr (rPr, §17.3.2 Run); CT_ParaRPr (a paragraph mark) starts with ins, del,
# moveFrom, moveTo
RPR = ("ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline "
       "shadow emboss imprint noProof snapToGrid vanish webHidden color spacing w kern position sz "
       "szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout "
       "specVanish oMath rPrChange")
# CT_TblPrBase + CT_TblPr (tblPr, §17.4 Tables)
TBLPR = ("tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
         "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
         "tblDescription tblPrChange")
# CT_TcPrBase + CT_TcPr (tcPr, §17.4 Tables)
TCPR = ("cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText "
        "vAlign hideMark headers cellIns cellDel cellMerge tcPrChange")
# CT_SectPr (sectPr, §17.6 Sections): EG_HdrFtrReferences first, in any order, then the rest
SECTPR = ("headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc "
          "pgBorders lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi "
          "rtlGutter docGrid printerSettings sectPrChange")

ORDER: dict[str, dict[str, int]] = {}
for _tag, _sequence in (("pPr", PPR), ("rPr", RPR), ("tblPr", TBLPR), ("tcPr", TCPR),
                        ("sectPr", SECTPR)):
    _rank = {f"{{{W}}}{name}": n for n, name in enumerate(_sequence.split())}
    if _tag == "sectPr":
        _rank[f"{{{W}}}footerReference"] = 0
    ORDER[f"{{{W}}}{_tag}"] = _rank


def normalise(root: etree._Element) -> None:
    """Sort the children of every pPr, rPr, tblPr, tcPr and sectPr under ``root`` into the
    schema's sequence (a stable sort: repeated references keep their order); drop an element
    that appears twice where the schema allows one (the later one wins)."""
    for element in list(root.iter(*ORDER)):
        children = list(element)
        if not children:
            continue
        rank = ORDER[element.tag]
        last = len(rank)
        seen: dict[str, etree._Element] = {}
        for child in children:
            name = child.tag if isinstance(child.tag, str) else ""
            if name in seen and not name.endswith(("Reference", "}ins", "}del")):
                element.remove(seen[name])
            seen[name] = child
        kept = list(element) if len(element) != len(children) else children
        ranks = [rank.get(child.tag, last) if isinstance(child.tag, str) else last
                 for child in kept]
        if any(a > b for a, b in itertools.pairwise(ranks)):
            order = sorted(range(len(kept)), key=ranks.__getitem__)
            for index in order:
                element.append(kept[index])
