import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Kind, Shape, tokenize, type Token } from '../../../server/src/core/tokens';

const texts = (s: string) => tokenize(s).map((t) => t.text);

describe('tokens', () => {
  it('gives words, numbers and punctuation with offsets into the text', () => {
    const s = 'Ms Okafor met 12 voters, then left.';
    const toks = tokenize(s);
    for (const t of toks) assert.equal(s.slice(t.start, t.end), t.text);
    assert.deepEqual(texts(s), ['Ms', 'Okafor', 'met', '12', 'voters', ',', 'then', 'left', '.']);
    assert.equal(toks[3]!.kind, Kind.Number);
  });

  it('tells capitalisation shapes apart', () => {
    const [a, b, c, d, e] = tokenize('Okafor NUJ said eBay McAllister');
    assert.equal(a!.shape, Shape.Cap);
    assert.equal(b!.shape, Shape.Upper);
    assert.equal(c!.shape, Shape.Lower);
    assert.equal(d!.shape, Shape.Mixed);
    assert.equal(e!.shape, Shape.Cap);
    assert.equal(e!.lower, 'mcallister');
  });

  it('tells shapes apart in words with digits, non-ASCII letters, dots and inner apostrophes', () => {
    const toks = tokenize('G20 Inés ÉCOLE O’Brien D’SOUZA McDONALD U.S. mp3s él');
    assert.deepEqual(toks.map((t) => t.text), ['G20', 'Inés', 'ÉCOLE', 'O’Brien', 'D’SOUZA', 'McDONALD', 'U.S.', 'mp3s', 'él']);
    assert.deepEqual(toks.map((t) => t.shape), [Shape.Cap, Shape.Cap, Shape.Upper, Shape.Cap, Shape.Upper, Shape.Cap, Shape.Upper, Shape.Lower, Shape.Lower]);
  });

  it('takes www. and http(s):// for URLs in any case, and nothing shorter, also at the end of the text', () => {
    const kinds = (s: string) => tokenize(s).map((t) => [t.text, t.kind]);
    assert.deepEqual(kinds('see WWW.Example.org now'), [['see', Kind.Word], ['WWW.Example.org', Kind.Url], ['now', Kind.Word]]);
    assert.deepEqual(kinds('Http://x.io'), [['Http://x.io', Kind.Url]]);
    assert.deepEqual(kinds('ww.x www'), [['ww', Kind.Word], ['.', Kind.Punct], ['x', Kind.Word], ['www', Kind.Word]]);
    assert.deepEqual(kinds('htt http'), [['htt', Kind.Word], ['http', Kind.Word]]);
    assert.deepEqual(kinds('http:/ w'), [['http', Kind.Word], [':', Kind.Punct], ['/', Kind.Punct], ['w', Kind.Word]]);
  });

  it('keeps apostrophes inside words and splits the possessive off', () => {
    assert.deepEqual(texts("don't O'Neill"), ["don't", "O'Neill"]);
    const toks = tokenize('the Greens’ leader and Okafor’s aide');
    assert.deepEqual(toks.map((t) => t.text), ['the', 'Greens', '’', 'leader', 'and', 'Okafor', '’s', 'aide']);
    assert.equal(toks[6]!.kind, Kind.Possessive);
    assert.equal(toks[2]!.kind, Kind.Quote, 'a plural possessive mark is left to the quotation pairing');
  });

  it('keeps a run of dots as one token, at any place in the text', () => {
    assert.deepEqual(texts('Wait... what.. no. So...'), ['Wait', '...', 'what', '..', 'no', '.', 'So', '...']);
    assert.deepEqual(texts('...'), ['...']);
  });

  it('takes letters of any script, digits and underscores into a handle or hashtag, and nothing else', () => {
    const toks = tokenize('@Zoë_9 met #Ünïcode and @a·b then @Ωmega.');
    assert.deepEqual(toks.map((t) => [t.text, t.kind]), [
      ['@Zoë_9', Kind.Handle], ['met', Kind.Word], ['#Ünïcode', Kind.Hashtag], ['and', Kind.Word], ['@a', Kind.Handle], ['·', Kind.Punct],
      ['b', Kind.Word], ['then', Kind.Word], ['@Ωmega', Kind.Handle], ['.', Kind.Punct],
    ]);
  });

  it('does not take an elided year for a quotation mark', () => {
    const toks = tokenize("in the '90s");
    assert.notEqual(toks[2]!.kind, Kind.Quote);
  });

  it('splits hyphenated words so that a name inside is visible', () => {
    assert.deepEqual(texts('pro-Okafor rally'), ['pro', '-', 'Okafor', 'rally']);
  });

  it('recognises handles, hashtags, URLs and domain names', () => {
    const toks = tokenize('@ana_p posted #vote2024 at https://example.org/a?b=1, and told Example.co.uk. Mail me: a@b.com');
    const kinds = Object.fromEntries(toks.map((t) => [t.text, t.kind]));
    assert.equal(kinds['@ana_p'], Kind.Handle);
    assert.equal(kinds['#vote2024'], Kind.Hashtag);
    assert.equal(kinds['https://example.org/a?b=1'], Kind.Url);
    assert.equal(kinds['Example.co.uk'], Kind.Url);
    assert.equal(kinds['@b'], undefined, 'an e-mail address is not a handle');
  });

  it('marks sentence starts after full stops and line breaks, not after initials or titles', () => {
    const toks = tokenize('He met Dr. Ana J. Reyes. Then\nShe left.');
    const starts = toks.filter((t) => t.sentStart).map((t) => t.text);
    assert.deepEqual(starts, ['He', 'Then', 'She']);
  });

  it('counts line breaks before a token', () => {
    const toks = tokenize('One.\n\nTwo');
    assert.equal(toks[2]!.nl, 2);
  });

  it('never throws on odd input and stays in range', () => {
    const odd = ['', '\u0000\uFFFF', '\uD83D', '“”‘’"\'', '@', '#', 'http://', 'a.b.c.d.e', '\r\n\r\n', 'x'.repeat(10000)];
    for (const s of odd) {
      const toks = tokenize(s);
      for (const t of toks) assert.ok(t.start >= 0 && t.end <= s.length && t.end > t.start);
    }
  });

  it('keeps line breaks, spacing and sentence starts with each token', () => {
    const toks = tokenize('One two.\n\n\nThree\r\nfour,five');
    assert.deepEqual(toks.map((t) => [t.text, t.nl, t.space, t.sentStart]), [
      ['One', 0, false, true],
      ['two', 0, true, false],
      ['.', 0, false, false],
      ['Three', 3, true, true],
      ['four', 1, true, true],
      [',', 0, false, false],
      ['five', 0, false, false],
    ]);
    assert.deepEqual(toks.map((t) => [t.kind, t.shape]), [
      [Kind.Word, Shape.Cap],
      [Kind.Word, Shape.Lower],
      [Kind.Punct, Shape.None],
      [Kind.Word, Shape.Cap],
      [Kind.Word, Shape.Lower],
      [Kind.Punct, Shape.None],
      [Kind.Word, Shape.Lower],
    ]);
  });

  it('tokenises every kind of token at any place in the text, words beside URLs, handles, numbers and marks', () => {
    const text = "www.x.org and Whale ... '90s 1,000.5 @ana #tag @ \u201cQ\u201d \u{1F600} h HTTP://A.B/c, w";
    const got = tokenize(text).map((t) => [t.text, t.kind]);
    assert.deepEqual(got, [
      ['www.x.org', Kind.Url], ['and', Kind.Word], ['Whale', Kind.Word], ['...', Kind.Punct], ["'", Kind.Punct], ['90s', Kind.Number],
      ['1,000.5', Kind.Number], ['@ana', Kind.Handle], ['#tag', Kind.Hashtag], ['@', Kind.Punct], ['\u201c', Kind.Quote], ['Q', Kind.Word],
      ['\u201d', Kind.Quote], ['\u{1F600}', Kind.Punct], ['h', Kind.Word], ['HTTP://A.B/c', Kind.Url], [',', Kind.Punct], ['w', Kind.Word],
    ]);
  });

  it('gives the same tokens when transient (reusing the previous call\'s token objects) as when not', () => {
    const plain = (t: Token) => [t.start, t.end, t.text, t.lower, t.f, t.id, t.lid, t.kind, t.shape, t.nl, t.space, t.sentStart];
    // Long, short, long again, a document past the kept tokens (1 << 15), then a short one: each size change exercises
    // overwriting kept tokens, adding to them, and making tokens that are not kept.
    const long = 'Jeremy Corbyn said, “We will win.”\n\nThe BBC\u2019s report (JLM) cited www.x.org and @ana #tag 1,000.5. '.repeat(60);
    const huge = 'Mr. Okafor met Ann Poe, a spokeswoman. '.repeat(5000);
    for (const text of [long, 'Okafor said no.', long, '', huge, 'A short one — here.', long]) {
      const expected = tokenize(text).map(plain);
      assert.deepEqual(tokenize(text, true).map(plain), expected);
    }
  });

  it('never overwrites tokens of a call that was not transient', () => {
    const kept = tokenize('Keep these tokens, Corbyn.');
    const before = kept.map((t) => [t.start, t.end, t.text]);
    tokenize('Other words entirely, many more of them than before: Starmer, Sunak, Truss and Johnson.', true);
    tokenize('Other words again.', true);
    assert.deepEqual(kept.map((t) => [t.start, t.end, t.text]), before);
  });
});
