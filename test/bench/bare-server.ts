import Fastify from 'fastify';

/**
 * The baseline of `npm run bench`: a bare fastify JSON route, in its own process like the real
 * server, answering a body the size of the simulator's with one of similar size.
 */
const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
app.post('/echo', async (request) => {
  const body = request.body as { from?: string; text?: string };
  return { replies: [{ to: body.from ?? null, room: null, text: `好的：${body.text ?? ''}` }] };
});
const address = await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
console.log(`bare fastify listening ${address}`);
