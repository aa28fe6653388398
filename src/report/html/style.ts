// The report's CSS (inlined into the page).
export const STYLE = `
:root { font-family: system-ui, -apple-system, Segoe UI, Roboto, sans-serif; color: #0f172a; background: #f8fafc; }
main { max-width: 1200px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { margin: 0 0 4px; font-size: 26px; } h1 .run { font-weight: 400; font-size: 16px; color: #475569; }
h2 { margin: 28px 0 8px; font-size: 18px; }
.banner { border-radius: 10px; padding: 16px 20px; border: 1px solid #cbd5e1; background: #fff; }
.banner.passed { border-left: 8px solid #16a34a; } .banner.failed, .banner.error, .banner.aborted { border-left: 8px solid #dc2626; }
.banner.compare { border-left: 8px solid #2563eb; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; margin-top: 16px; }
.card { background: #fff; border: 1px solid #e2e8f0; border-radius: 8px; padding: 10px 12px; }
.card .label { font-size: 12px; color: #64748b; text-transform: uppercase; letter-spacing: .03em; }
.card .value { font-size: 22px; font-weight: 600; } .card .note { font-size: 12px; color: #64748b; }
.card.bad { border-color: #fca5a5; background: #fef2f2; } .card.bad .value { color: #b91c1c; }
table { border-collapse: collapse; background: #fff; margin: 6px 0; font-size: 13px; }
th, td { border: 1px solid #e2e8f0; padding: 4px 8px; text-align: right; } th { background: #f1f5f9; }
td:first-child, th:first-child { text-align: left; }
.pass { color: #15803d; font-weight: 700; } .fail { color: #b91c1c; font-weight: 700; }
td.best { font-weight: 700; background: #ecfdf5; }
.chart { background: #fff; border: 1px solid #e2e8f0; border-radius: 8px; padding: 8px; margin: 8px 0; min-height: 300px; }
.toolbar { text-align: right; } button { font: inherit; font-size: 12px; padding: 3px 10px; border-radius: 6px; border: 1px solid #cbd5e1; background: #fff; cursor: pointer; }
.muted { color: #64748b; font-size: 13px; } .error { color: #b91c1c; }
pre { background: #0f172a; color: #e2e8f0; padding: 12px; border-radius: 8px; overflow: auto; font-size: 12px; }
details { margin: 6px 0; } summary { cursor: pointer; font-weight: 600; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
`;
