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
National Aeronautics and Space Administration|NASA
European Space Agency|ESA
Pentagon
Kremlin
State Department
Department of Defense
Department of Justice|Justice Department
Department of Homeland Security|Homeland Security
Environmental Protection Agency|EPA
Food and Drug Administration|FDA
Federal Reserve
Securities and Exchange Commission|SEC
Federal Communications Commission|FCC
Internal Revenue Service|IRS
Drug Enforcement Administration|DEA
Centers for Disease Control and Prevention|CDC
Bank of England
European Central Bank|ECB
Bank of Japan
People's Bank of China
Organization of the Petroleum Exporting Countries|OPEC
Organisation for Economic Co-operation and Development|OECD
International Atomic Energy Agency|IAEA
International Criminal Court|ICC
International Olympic Committee|IOC
FIFA
UEFA
UNESCO
UNICEF
UNHCR
World Food Programme
Interpol
Europol
Médecins Sans Frontières|Doctors Without Borders|MSF
Save the Children
International Committee of the Red Cross|ICRC
African Union
Arab League
Association of Southeast Asian Nations|ASEAN
Group of Seven|G7
Group of 20|G20
Muslim Brotherhood
Islamic Jihad
Boko Haram
al-Shabab|al-Shabaab
Kurdistan Workers' Party|PKK
Fatah
Likud
Communist Party of China|Chinese Communist Party|CCP
African National Congress|ANC
Bharatiya Janata Party|BJP
Indian National Congress
Christian Democratic Union|CDU
Social Democratic Party|SPD
Alternative for Germany|AfD
National Rally|Front National
Podemos
Syriza
Five Star Movement
Xinhua
Tass
RIA Novosti
Interfax
Kyodo
Yonhap
Deutsche Welle
Der Spiegel
Le Monde
Le Figaro
El País|El Pais
Corriere della Sera
Süddeutsche Zeitung
Frankfurter Allgemeine Zeitung
Haaretz
The Jerusalem Post|Jerusalem Post
Times of Israel
Al Arabiya
RT
BuzzFeed
Politico
Axios
HuffPost|Huffington Post
Newsweek
Forbes
The Atlantic
The New Yorker
Rolling Stone
Los Angeles Times
Chicago Tribune
USA Today
New York Post
Boston Globe
Washington Times
The Hill
MSNBC
CNBC
ESPN
HBO
Disney
Warner Bros
Paramount
Universal Pictures
Sony Pictures
Hulu
Yahoo
AOL
Wikimedia Foundation
Baidu
Alibaba
Tencent
Huawei
Xiaomi
ByteDance
Toyota
Honda
Nissan
Volkswagen
BMW
Mercedes-Benz
Daimler
General Motors|GM
Chrysler
Fiat
Renault
Peugeot
Hyundai
Kia
Boeing
Airbus
Lockheed Martin
Raytheon
Siemens
Philips
Nokia
Ericsson
Qualcomm
Cisco
HP|Hewlett-Packard
AMD
Adobe
Salesforce
Twitch
Pinterest
Dropbox
Lyft
Walmart
Costco
Starbucks
McDonald's
Burger King
Coca-Cola
PepsiCo|Pepsi
Nestlé|Nestle
Unilever
Procter & Gamble
Johnson & Johnson
Pfizer
Moderna
AstraZeneca
GlaxoSmithKline|GSK
Novartis
Roche
Bayer
Exxon Mobil|ExxonMobil|Exxon
Chevron
BP
Royal Dutch Shell
TotalEnergies
Gazprom
Rosneft
Saudi Aramco|Aramco
Goldman Sachs
JPMorgan Chase|JPMorgan|JP Morgan
Morgan Stanley
Citigroup|Citi
Bank of America
Wells Fargo
Barclays
HSBC
Lloyds
Deutsche Bank
UBS
Credit Suisse
BlackRock
Mastercard
American Express
Berkshire Hathaway
Lehman Brothers
FedEx
UPS
Amtrak
Ryanair
easyJet
British Airways
Lufthansa
Air France
Qatar Airways
Delta Air Lines
United Airlines
American Airlines
Southwest Airlines
Harvard University|Harvard
Yale University|Yale
Stanford University|Stanford
Princeton University|Princeton
Massachusetts Institute of Technology|MIT
Oxford University|University of Oxford
Cambridge University|University of Cambridge
Columbia University
London School of Economics|LSE
Royal Navy
Royal Air Force|RAF
British Army
US Army
US Navy
US Air Force
US Marine Corps|Marine Corps
Scotland Yard
MI5
MI6
KGB
FSB
Mossad
Stasi
Ofcom
Ofsted
Home Office
Foreign Office
Downing Street
White House
Élysée|Elysee
Bundestag
Knesset
Duma
Manchester United
Manchester City
Liverpool FC
Arsenal
Tottenham Hotspur|Tottenham|Spurs
Real Madrid
Barcelona FC|FC Barcelona|Barça
Bayern Munich
Juventus
AC Milan
Paris Saint-Germain|PSG
New York Yankees|Yankees
Dallas Cowboys
Los Angeles Lakers|Lakers
NFL
NBA
MLB
NHL
NCAA
`;
