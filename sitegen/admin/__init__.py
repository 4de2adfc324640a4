"""/admin/: the browser editor (Decap CMS), its configuration generated from the models, and the local
backend the dev server answers it with (docs/editor.md)."""
