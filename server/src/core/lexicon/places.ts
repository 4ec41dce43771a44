// Places of general knowledge (hand-written, not generated): countries, their common short forms, US states and
// Canadian provinces, UK nations and regions, and large cities. Places are not annotated as people or organisations;
// this list stops a place that is also a given name ("Jordan", "Paris", "Israel") or that starts with a given name
// ("San Diego") from being read as a person, and a bare place from being read as an organisation.
export const PLACES = `
afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan bahamas bahrain bangladesh
barbados belarus belgium belize benin bhutan bolivia bosnia botswana brazil brunei bulgaria burkina burundi cambodia
cameroon canada chad chile china colombia comoros congo croatia cuba cyprus czechia czech denmark djibouti dominica
ecuador egypt eritrea estonia eswatini ethiopia fiji finland france gabon gambia georgia germany ghana greece grenada
guatemala guinea guyana haiti honduras hungary iceland india indonesia iran iraq ireland israel italy jamaica japan
jordan kazakhstan kenya kiribati korea kosovo kuwait kyrgyzstan laos latvia lebanon lesotho liberia libya
liechtenstein lithuania luxembourg madagascar malawi malaysia maldives mali malta mauritania mauritius mexico
micronesia moldova monaco mongolia montenegro morocco mozambique myanmar burma namibia nauru nepal netherlands holland
nicaragua niger nigeria norway oman pakistan palau palestine panama paraguay peru philippines poland portugal qatar
romania russia rwanda samoa senegal serbia seychelles singapore slovakia slovenia somalia spain sudan suriname sweden
switzerland syria taiwan tajikistan tanzania thailand togo tonga trinidad tunisia turkey turkmenistan tuvalu uganda
ukraine uruguay uzbekistan vanuatu vatican venezuela vietnam yemen zambia zimbabwe
britain england scotland wales ulster europe asia africa america americas antarctica oceania arctic
alabama alaska arizona arkansas california colorado connecticut delaware florida hawaii idaho illinois indiana iowa
kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri montana nebraska nevada
ohio oklahoma oregon pennsylvania tennessee texas utah vermont virginia washington wisconsin wyoming
ontario quebec alberta manitoba saskatchewan nova
london manchester birmingham liverpool leeds sheffield bristol glasgow edinburgh cardiff belfast dublin newcastle
nottingham leicester coventry bradford brighton oxford cambridge york southampton portsmouth plymouth aberdeen dundee
paris berlin madrid rome milan naples vienna prague warsaw budapest brussels amsterdam rotterdam lisbon athens
stockholm oslo copenhagen helsinki moscow kyiv kiev istanbul ankara tehran baghdad damascus beirut cairo jerusalem
gaza riyadh dubai doha delhi mumbai kolkata karachi lahore dhaka beijing shanghai hongkong tokyo osaka seoul
bangkok jakarta manila sydney melbourne brisbane perth auckland wellington toronto montreal vancouver ottawa
chicago houston dallas austin phoenix philadelphia boston seattle denver atlanta miami detroit baltimore
nashville memphis orlando tampa cleveland pittsburgh cincinnati portland sacramento vegas angeles francisco diego
jose antonio lagos nairobi johannesburg capetown accra addis harare kampala mexico bogota lima santiago caracas
havana quito buenos rio sao paulo brasilia montevideo
`;

/** Words that begin a place name and are not part of a person's name ("San Diego", "Port Talbot", "Mount Everest"). */
export const PLACE_OPENERS = 'san santa santo sao st saint fort port mount mt lake cape glen new north south east west upper lower greater little great old';

/** Head nouns of places and facilities: a capitalised phrase ending in one is not a person ("Hayes Street", "Civic Hall"). */
export const PLACE_HEADS = `
street st road rd avenue ave lane boulevard drive way square place park gardens garden bridge river hills hill valley
mountain mountains lake sea ocean bay island islands coast beach airport station terminal hotel inn restaurant grill
cafe bar pub tavern stadium arena hall auditorium theatre theater cinema museum gallery library tower building house
palace castle cathedral abbey chapel county city town village district province state region estate road
oblast prefecture canton borough
show cup prize award awards games championship championships tournament open empire kingdom republic dynasty
administration administrations era war wars act treaty festival series programme program day week month year
`;
