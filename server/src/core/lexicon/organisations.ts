// Well-known organisations of general knowledge (hand-written, not generated): one organisation a line, its usual
// full name first, then other spellings and abbreviations that unambiguously name it. Only names that are safe to
// read as organisations wherever they are capitalised belong here; everything else is left to context rules
// (head nouns, "members of X", "the X group", "X spokesman") and to evidence from the document and the corpus.
export const KNOWN_ORGANISATIONS = `
Labour Party|Labour
Conservative Party|Conservatives|Tories|Tory Party
Liberal Democrats|Lib Dems|LibDems
Scottish National Party|SNP
Plaid Cymru
Green Party|Greens
UK Independence Party|UKIP
Reform UK
Democratic Unionist Party|DUP
Sinn Féin|Sinn Fein
Social Democratic and Labour Party|SDLP
Democratic Party|Democrats
Republican Party|Republicans|GOP
British Broadcasting Corporation|BBC
Independent Television|ITV
Sky News
Channel 4
Reuters
Associated Press|AP
Agence France-Presse|AFP
Press Association|PA Media
Bloomberg
CNN
Fox News
NBC
CBS
ABC News
NPR
Al Jazeera
The New York Times
The Washington Post
The Wall Street Journal
The Guardian
The Times
The Sunday Times
The Daily Telegraph|The Telegraph
The Independent
The Observer
The Economist
Financial Times|FT
Daily Mail
The Sun
Daily Mirror
Evening Standard
Google|Alphabet
Facebook
Meta
Instagram
WhatsApp
Twitter
YouTube
TikTok
Snapchat
LinkedIn
Reddit
Microsoft
Apple
Amazon
Netflix
Uber
Tesla
SpaceX
OpenAI
Samsung
Sony
Nvidia
Intel
IBM
Oracle
Spotify
Airbnb
PayPal
eBay
Wikipedia
Getty Images
Shutterstock
United Nations|UN
European Union|EU
European Commission
North Atlantic Treaty Organization|NATO
World Health Organization|WHO
International Monetary Fund|IMF
World Bank
World Trade Organization|WTO
Federal Bureau of Investigation|FBI
Central Intelligence Agency|CIA
National Security Agency|NSA
National Health Service|NHS
Metropolitan Police|Met Police
Crown Prosecution Service|CPS
House of Commons|Commons
House of Lords
Parliament
Congress
Senate
Supreme Court
Hamas
Hezbollah
Taliban
Islamic State|ISIS|ISIL
al-Qaeda|al-Qaida|Al Qaeda
Amnesty International
Human Rights Watch
Greenpeace
Oxfam
Red Cross
Trades Union Congress|TUC
`;
