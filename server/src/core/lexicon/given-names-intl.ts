// Given names common outside the United States (hand-written, not generated): French, Spanish, Portuguese, Italian,
// German, Dutch, Nordic, Slavic, Hungarian, Greek, Turkish, Arabic, Persian, Hebrew, South Asian, East and South-East
// Asian and African names, written from general knowledge. The SSA list (given-names.ts) counts US births only, so
// it misses most of the names foreign news carries ("Benoît", "Grzegorz", "Oleksandr"). East Asian family names
// that come first ("Xi Jinping", "Kim Jong-un", "Nguyen Thanh") are here too: what matters is that they open a
// name. Names that are also frequent lower-case English words were left out. Sex unknown ("either").
export const GIVEN_INTERNATIONAL = `
abdel abdelaziz abdelkader abhishek abiodun abiy adebayo ademola adewale agnieszka agnès agustín ahmet ahn
aishwarya ajit akbar akhilesh akihito akiko akinwumi alassane aleksey alexey ali-akbar amitabh amr amélie anatoly
anaïs andrej andriy andrzej andré andrés anke anne-marie annegret anneli annelies anouk antonis antti antónio
antônio anupam arkady arnaud arundhati arvind ashish ashok ashraf asif atal atiku aung aurelie aurélie avigdor
ayelet ayse ayşe aïsha babajide babar baltasar bashar beata benazir benjamín benoit benoît beppe bernd bilawal
binyamin birgit birgitta björn bjørn bogdan bola borut bronisław bui bukola burak caio cao cem chang-ho chen cheng
chidi chika chimamanda chinedu chinua cho choi chukwuemeka clemence clémence clément conceicao conceição concepción
corazon corrado czesław cécile cédric céline césar dacian dariush davide deepak deepika deng didier dieter dilma
dimitris dinesh dmitry dmytro donatella dragan duarte dung duong dörte ebrahim edouard efraín ehud ekaterina
elisabetta emanuele emeka emine emre enlai espen ettore evgeny ewa fabián fahd farhad fatma fawad federica femi
femke feng ferenc fernão filippo fouad francoise franjo frank-walter françois françoise frauke fredrik friedrich
frédéric fumio funmilayo fyodor fátima gabor galina gautam gaël geert geneviève gennady geun-hye ghassan gilad
gilles giorgos giuliano giulio goncalo gonçalo goodluck gopal goran gotabaya graca graça gregoire grigory grzegorz
grégoire gudrun guillaume gunter guo guoqiang gábor gérard günter günther habib haider hailemariam haiyan hakan
hamad hamdan hamid hani hans-jürgen hans-peter harish haruki hazem heike heiko heinz helmut helmuth hemant henk
hernán herve hervé hideki hirohito hisham hoang holger hong hongwei horst hosni hossein hsien huang hui husam hwang
hyun håkan hélène hüseyin ichiro idriss ignazio igor ikechukwu il-sung ilaria imad inaki ingo inigo inmaculada inés
ionuț iryna istvan istván itamar itziar ivica iñaki jaber jae-in jagdish jakaya janez jang jaroslaw jarosław javad
jayalalithaa jayant jean-baptiste jean-claude jean-françois jean-jacques jean-louis jean-luc jean-marc jean-marie
jean-michel jean-paul jean-pierre jean-yves jens-petter jeroen jerzy jesús ji-hoon ji-woo jiabao jian jiang jianguo
jie jinping jintao jiri jiří joaquín jochen joko jomo jong-il jong-un joost jorg joris joseph-désiré josiane
jostein josé joão juha jukka julián junaid jung junichiro jurgen jutta jérôme józef józsef jörg jürgen kalonzo kang
kapil katalin katarzyna katja kavita kayode kazimierz kazuo kemal keqiang kgalema khaleda knut koji konstantin
kostas kourosh krzysztof ksenia kumar kwabena kwon kyoko kyriakos kyung-wha laetitia lakshmi lalu lamberto laszlo
lech lei leire leonid leszek li lijun lim liu loic loïc lucía ludovic luís luíza lyudmila lászló maarten macarena
maciej macky maelle mahamadou mahathir mahinda mahmud majid makoto malgorzata malte mamata manmohan manoj mansour
margit mariastella marie-claire marie-france marilia mariusz marten martín marília masahiro masako masoud mats
maurizio mayawati maëlle małgorzata megawati mehdi mehmet meles mette michiko mikko milos miloš min-jun ming
mireille mirjam miroslav mmusi mohsen mojtaba moqtada moritz morten muhammadu muhyiddin mukesh mulayam muqtada
murat mwai mykola myung-bak nadezhda najib naoki narendra naruhito nasrin nawaf nawaz nebojša necati nenad ngozi
nguyen nicolae nicolás nikolay nikos nirmala nitin nitish nnamdi nouri nuno nuria obafemi oceane océane oleg
oleksandr oleksiy olof olusegun oluwaseun ondřej orhan ornella osama otavio otávio paivi pankaj pascale pawel paweł
pekka peng pervez petr petro pham phan pierluigi piero pieter piotr piyush prabowo pradeep prakash pranab prashant
prayut prayuth pyotr päivi péter qiang qishan quang radoslaw radosław rafal rafał raffaella raila rajesh rajiv
rajnath rakesh ralf ramesh ramzan ramón ranil raúl recep reinhard rekha rené riad riyad rocío romain rosângela
rubén rui ruud ryszard régis rémi rémy sachiko saddam sahle-work sandeep sandrine sanna sanne satish satoshi sauli
segolene selahattin seo-yeon sergei sergey serhiy serkan seun severine shabana shahbaz shahid shashi shehbaz
shigeru shilpa shintaro shinzo shinzō shirin shoaib shyam sigmar sigrun silke sirisena sjoerd slobodan smriti
solène spyros stanislav stanisław stéphane sudhir suk-yeol suleyman sung sunil sunita suresh sushil sushma susilo
svetlana swati sylvain sébastien ségolène sérgio séverine sören süleyman sławomir tadashi tadeusz takashi takeshi
tang tao taras tarja taro tawfiq tayyip terje tetsuya thabo thaksin theodoros thibault thierry thorsten tian timo
tomasz tomislav tommaso tomoko tomás tomáš torsten toshiro traian tran trang trond tuncay tunde tzipi uche uddhav
uhuru ulf ulrich ulrike umberto urszula ute uwe vaclav valérie vangelis vasily vinicius vinod vinícius viorica
virat vitali vitaliy vitaly vitoria vitória vladislav vojislav volkan volker volodymyr vyacheslav václav véronique
wael walid wang wei wojciech wouter władysław xabier xi xiao xiaohong xiaojun xiaoming xiaoping xie xinyi xu yan
yang yanis yann yannis yashwant yasuo yekaterina yemi yevgeny yi ying yingluck yitzhak yoav yogi yoko yoon yoshi
yoshihide yossi yoweri yuan yukio yulia yuliia yumiko yun yuriko yury yuval yuxuan zayed zbigniew zdeněk zedong
zeev zeljko zemin zeng zhang zhao zhen zheng zhi zhiqiang zhiwei zhou zihan zoltán zoran álvaro ángel ángela
édouard élise élodie éric étienne íñigo ömer željko
`;
