import { html } from './html';

describe('html', () => {
  it('escapes every value put in a template, and only once', () => {
    const name = `<script>alert("x")</script> & 'Қазақбайұлы'`;
    expect(html`<p title="${name}">${name}</p>`.markup)
      .toBe('<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Қазақбайұлы&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Қазақбайұлы&#39;</p>');
    const inner = html`<b>${'a<b'}</b>`;
    expect(html`<p>${inner}</p>`.markup).toBe('<p><b>a&lt;b</b></p>');
  });

  it('joins lists, writes numbers, and leaves out null, undefined and false', () => {
    expect(html`<ul>${[1, 2].map((n) => html`<li>${n}</li>`)}</ul>${null}${undefined}${false}${0}`.markup).toBe('<ul><li>1</li><li>2</li></ul>0');
  });
});
