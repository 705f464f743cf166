// Front door: accepts a snippet and asks the Python worker to render it.
export default {
  async fetch(request, env) {
    if (request.method !== "POST") {
      return new Response("POST a snippet as the request body", { status: 405 });
    }
    const source = await request.text();
    const language = new URL(request.url).searchParams.get("lang") ?? "text";
    const html = await env.RENDERER.render(source, language);
    return new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } });
  },
};
