import { XMLParser } from 'fast-xml-parser';
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
// The Official Account's baseline: parse the same push XML, answer a passive XML reply.
const parser = new XMLParser({ parseTagValue: false, processEntities: false });
app.addContentTypeParser('text/xml', { parseAs: 'string' }, (_request, body, done) => done(null, body));
app.post('/xml', async (request, reply) => {
  const xml = (parser.parse(request.body as string) as { xml: { FromUserName: string; ToUserName: string; Content: string } }).xml;
  const content = `好的：${xml.Content}`;
  return reply
    .type('application/xml')
    .send(
      `<xml><ToUserName><![CDATA[${xml.FromUserName}]]></ToUserName><FromUserName><![CDATA[${xml.ToUserName}]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content></xml>`,
    );
});
const address = await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
console.log(`bare fastify listening ${address}`);
