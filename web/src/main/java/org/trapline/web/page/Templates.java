package org.trapline.web.page;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;

/** The jte templates, compiled at build time; each page template takes one model record. */
public final class Templates {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    public void render(Context ctx, String template, Object model) {
        StringOutput out = new StringOutput();
        engine.render(template, model, out);
        ctx.contentType("text/html; charset=utf-8").result(out.toString());
    }
}
