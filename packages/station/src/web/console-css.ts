/** The console's one stylesheet (served from /static/console.css: the CSP allows no inline style). */
export const CONSOLE_CSS = `
:root { font-family: system-ui, sans-serif; color: #111; background: #fafafa; }
body { margin: 0; }
header { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; padding: .5rem 1rem; background: #123; color: #fff; }
header a, header .brand { color: #fff; }
nav ul { display: inline-flex; gap: 1rem; list-style: none; margin: 0; padding: 0; }
nav { display: flex; gap: 2rem; align-items: center; }
.logout { display: inline-flex; gap: .5rem; align-items: center; }
main { padding: 1rem 2rem; max-width: 80rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { border-bottom: 1px solid #ccc; padding: .35rem .5rem; text-align: left; vertical-align: top; }
caption { text-align: left; font-weight: 600; }
tr.urgent td:first-child { border-left: 4px solid #b00; }
tr.unread { font-weight: 600; }
.urgent { color: #b00; }
.filters, .login, form { display: flex; flex-wrap: wrap; gap: .75rem; align-items: end; margin: .5rem 0; }
label { display: flex; flex-direction: column; font-size: .9rem; }
dl.markings { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { font-weight: 600; }
.handling, .restriction { background: #fff3cd; padding: .1rem .3rem; }
tr.personal th { color: #7a0000; }
.tag { font-size: .75rem; background: #7a0000; color: #fff; border-radius: .2rem; padding: 0 .3rem; }
.tag.screened { background: #5a4a00; }
.field.personal { border-left: 4px solid #7a0000; padding-left: .5rem; }
.field { display: flex; flex-direction: column; min-width: 16rem; }
fieldset { display: flex; flex-wrap: wrap; gap: .75rem; border: 1px solid #ccc; margin: .5rem 0; }
form.publish { flex-direction: column; align-items: stretch; }
label.check { flex-direction: row; gap: .25rem; align-items: center; }
ul.kinds { display: flex; gap: 1rem; list-style: none; padding: 0; }
section.screening.error, section.problems { border-left: 4px solid #b00; padding-left: .5rem; }
section.screening.ok { border-left: 4px solid #060; padding-left: .5rem; }
.error { color: #b00; font-weight: 600; }
.ok { color: #060; font-weight: 600; }
pre.checkpoint { background: #eee; padding: .5rem; overflow-x: auto; }
figure.chart { margin: 1rem 0; max-width: 48rem; }
figure.chart svg { background: #fff; border: 1px solid #ddd; }
figcaption { font-size: .9rem; }
progress { width: 100%; max-width: 32rem; height: 1.2rem; }
td code, li code { font-size: .8rem; word-break: break-all; }
`;
