/// The HTML report's style sheet: system fonts only (a Japanese-friendly stack), figures in
/// tabular numerals and right-aligned, tables that scroll sideways on a narrow screen, and for
/// print A4 landscape with a page per table and the banner repeated on every page. The colours
/// keep a contrast of at least 4.5:1 for text.
extension HTMLReport {
  static let styleSheet = """
    :root {
      --text: #1a1a1a;
      --muted: #4a4a4a;
      --rule: #c4cad3;
      --shade: #eef2f7;
      --accent: #1f4e79;
      --up: #a61b1b;
      --down: #1f4e9c;
    }
    * { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
    body {
      margin: 0 auto;
      padding: 24px 20px 48px;
      max-width: 1200px;
      color: var(--text);
      background: #ffffff;
      font-family: "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic", "YuGothic",
        "Meiryo", "Noto Sans CJK JP", "Noto Sans JP", sans-serif;
      font-size: 15px;
      line-height: 1.6;
    }
    h1, h2, h3 { line-height: 1.35; color: var(--accent); }
    h1 { font-size: 1.9rem; margin: 0.2em 0 0.1em; }
    h2 { font-size: 1.35rem; margin: 2em 0 0.6em; padding-bottom: 0.2em; border-bottom: 2px solid var(--accent); }
    h3 { font-size: 1.1rem; margin: 1.5em 0 0.5em; }
    a { color: var(--accent); }
    a:focus-visible, .table-scroll:focus-visible { outline: 3px solid #f0b400; outline-offset: 2px; }
    .cover { padding-bottom: 1em; }
    .cover .kicker { margin: 0; color: var(--muted); font-size: 0.95rem; }
    .cover .subtitle { margin: 0 0 1em; font-size: 1.2rem; color: var(--muted); }
    .cover h2 { margin-top: 1.2em; }
    dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 420px), 1fr)); gap: 0 32px; margin: 0; }
    dl.facts div { display: flex; gap: 1em; padding: 6px 0; border-bottom: 1px solid var(--rule); }
    dl.facts dt { flex: 0 0 12em; color: var(--muted); }
    dl.facts dd { flex: 1 1 auto; min-width: 0; margin: 0; overflow-wrap: anywhere; font-variant-numeric: tabular-nums; }
    .contents ol { margin: 0.3em 0; padding-left: 1.6em; }
    .contents li { margin: 0.15em 0; }
    ul.notes { margin: 0.4em 0 1em; padding-left: 1.4em; color: var(--muted); font-size: 0.9rem; }
    ul.notes li { margin: 0.15em 0; }
    .report-title { font-weight: bold; }
    .table-scroll { overflow-x: auto; margin: 1.5em 0 0.5em; max-width: 100%; }
    table { border-collapse: collapse; font-size: 0.88rem; font-variant-numeric: tabular-nums; }
    caption { caption-side: top; text-align: left; padding: 0 0 0.5em; font-weight: bold; color: var(--accent); }
    caption .title { display: block; font-size: 1.15rem; font-weight: bold; color: var(--accent); }
    caption .filter { display: block; color: var(--muted); font-size: 0.9rem; }
    th, td { padding: 3px 8px; border-bottom: 1px solid var(--rule); vertical-align: bottom; }
    thead th { text-align: center; font-weight: bold; background: var(--shade); border: 1px solid var(--rule); }
    thead th[scope="colgroup"] { border-bottom: 2px solid var(--accent); }
    thead .corner { background: #ffffff; border: none; }
    thead .letter { font-weight: normal; color: var(--muted); }
    tbody th[scope="row"] { text-align: left; font-weight: normal; white-space: normal; min-width: 10em; max-width: 22em; }
    td { text-align: right; white-space: nowrap; }
    .banner-table tbody th[scope="row"] { position: sticky; left: 0; background: #ffffff; z-index: 1; }
    .banner-table tbody tr.base th[scope="row"] { background: var(--shade); }
    tr.stub-title th { text-align: left; padding-top: 10px; background: #ffffff; border-bottom: 2px solid var(--accent); }
    tr.stub-title .stub-name { display: block; font-weight: bold; }
    tr.stub-title .question { display: block; font-weight: normal; color: var(--muted); }
    tr.base td, tr.base th { background: var(--shade); }
    tr.net th, tr.net td { font-weight: bold; }
    tr.mean th, tr.mean td { border-top: 1px solid var(--muted); }
    tr.detail th, tr.detail td, tr.missing th, tr.missing td { color: var(--muted); font-size: 0.92em; }
    tr.detail th[scope="row"], tr.missing th[scope="row"] { padding-left: 2em; }
    tr.missing-heading th { text-align: left; font-weight: normal; color: var(--muted); padding-top: 8px; }
    td.small { color: var(--muted); }
    .m { display: inline-block; text-align: left; padding-left: 2px; }
    .m1 { min-width: 1ch; } .m2 { min-width: 2ch; } .m3 { min-width: 3ch; } .m4 { min-width: 4ch; }
    .m5 { min-width: 5ch; } .m6 { min-width: 6ch; } .m7 { min-width: 7ch; } .m8 { min-width: 8ch; }
    .m9 { min-width: 9ch; } .m10 { min-width: 10ch; }
    .letters { color: var(--accent); font-weight: bold; font-size: 0.85em; }
    .vs-total.up { color: var(--up); }
    .vs-total.down { color: var(--down); }
    .small-base { color: var(--up); }
    .stub-notes { margin: 0.5em 0 1.5em; }
    .stub-notes .stub-title { font-weight: bold; margin: 1em 0 0.2em; }
    figure.chart { margin: 1em 0 2em; padding: 12px; border: 1px solid var(--rule); border-radius: 4px; overflow-x: auto; }
    figure.chart figcaption { margin-top: 0.4em; font-size: 0.9rem; color: var(--muted); }
    svg.chart-svg { display: block; max-width: 100%; height: auto; font-family: inherit; }
    .kpi-table tbody th[scope="row"] { min-width: 16em; }
    .kpi-table td.unit { text-align: left; }
    .kpi-table td.achievement { font-weight: bold; }
    .kpi-table tr.flagged th[scope="row"] { color: var(--up); }
    .kpi-table tfoot th, .kpi-table tfoot td { font-weight: bold; background: var(--shade); }
    .kpi-table tfoot th, .kpi-table tfoot td { text-align: left; }
    .kpi-table th, .kpi-table td { vertical-align: middle; }
    .kpi-overall { font-size: 1.15rem; font-weight: bold; color: var(--accent); }
    ul.changes { font-size: 0.9rem; padding-left: 1.4em; }
    ul.changes li.indicator { margin-top: 0.4em; font-weight: bold; }
    ul.changes li.indicator ul { font-weight: normal; }
    .formula { font-size: 1.1rem; }
    .formula .math { font-family: "Cambria Math", "STIX Two Math", serif; }
    .legend { color: var(--muted); }
    .sampling-errors td { min-width: 6em; }
    .sampling-errors tr.own th, .sampling-errors tr.own td { background: #fff4cc; font-weight: bold; }
    @page { size: A4 landscape; margin: 12mm; }
    @media print {
      body { max-width: none; padding: 0; font-size: 9.5pt; }
      h2 { margin-top: 0; }
      a { color: inherit; text-decoration: none; }
      .table-scroll, figure.chart { overflow: visible; }
      .table-scroll { margin-top: 0; }
      #contents, #method, .tables, #kpi, #appendix { break-before: page; }
      section.banner + section.banner { break-before: page; }
      thead { display: table-header-group; }
      tfoot { display: table-footer-group; }
      tr, figure, .stub-notes ul { break-inside: avoid; }
      caption, tr.stub-title, .stub-notes .stub-title, h2, h3 { break-after: avoid; }
      .banner-table tbody th[scope="row"] { position: static; }
      figure.chart { border: none; padding: 0; }
      svg.chart-svg { max-height: 150mm; width: auto; }
    }
    @media (max-width: 640px) {
      body { padding: 16px 12px 32px; font-size: 14px; }
      dl.facts dt { flex-basis: 8em; }
    }
    """
}
