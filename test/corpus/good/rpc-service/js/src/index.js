// Front Worker: takes a title in the query string and asks the Python
// Worker, over RPC, for a slug and some reading statistics.
export default {
  async fetch(request, env) {
    const title = new URL(request.url).searchParams.get("title");
    if (!title) {
      return Response.json({ error: "pass ?title=..." }, { status: 400 });
    }
    const [slug, stats] = await Promise.all([
      env.TEXT.slugify(title, 48),
      env.TEXT.stats(title),
    ]);
    return Response.json({ title, slug, ...stats });
  },
};
