"""Demo data for market intelligence: an IVD (体外诊断) company's intelligence desk, in Chinese.

``intel_demo_load()`` builds on the org demo (``apps.org.demo.demo_data_load``: the demo users and
our products MK-2000, CL-600 and POCT-CM) and is safe to run again: every row is found by its
natural key first (competitor name, product name per competitor, tag name, report title, plan
title, battlecard per competitor, version number, follow target); price observations are created
for a product only while it has none. Dates are relative to today; the figures come from a seeded
random generator, so two loads on the same day give the same desk. The companies are fictional.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core.models import ConfidentialityLevel as Level
from apps.org.models import Product

from . import search
from .models import (
    Battlecard,
    BattlecardVersion,
    Competitor,
    CompetitorProduct,
    Follow,
    IntelReport,
    Methodology,
    PriceChannel,
    PriceObservation,
    ProductSpec,
    Province,
    ResearchPlan,
    Tag,
)

Kind = IntelReport.Kind
Issuer = IntelReport.IssuerKind
M = Methodology

TAGS = [
    "集采",
    "化学发光",
    "生化",
    "POCT",
    "DRG",
    "新品上市",
    "注册审批",
    "渠道",
    "价格战",
    "装机",
    "学术会议",
    "心肌标志物",
]

# name, short name, website, headquarters, notes, strong provinces (codes)
COMPETITORS = [
    (
        "华康诊断技术股份有限公司",
        "华康诊断",
        "https://www.huakang-dx.example",
        "广东省深圳市",
        "国内化学发光第一梯队，三级医院装机量大，2025年起主动参与各省集采并以低价换量。",
        ["440000", "450000", "430000", "350000"],
    ),
    (
        "迈瑞克生物医疗股份有限公司",
        "迈瑞克生物",
        "https://www.mairuike.example",
        "浙江省杭州市",
        "生化与发光双线布局，华东渠道密集，流水线方案是其主要卖点。",
        ["330000", "320000", "310000"],
    ),
    (
        "新源医疗科技集团有限公司",
        "新源医疗",
        "https://www.xinyuan-med.example",
        "北京市",
        "大型生化仪优势明显，京津冀与山东的公立医院关系深厚。",
        ["110000", "120000", "130000", "370000"],
    ),
    (
        "博研生物工程有限公司",
        "博研生物",
        "https://www.boyan-bio.example",
        "河南省郑州市",
        "干式荧光POCT起家，基层与县域医院覆盖广，价格灵活。",
        ["410000", "420000", "610000"],
    ),
    (
        "瑞达康医学科技有限公司",
        "瑞达康",
        "https://www.ruidakang.example",
        "四川省成都市",
        "西南地区区域龙头，化学发光与胶体金产品并行，经销商忠诚度高。",
        ["510000", "500000", "530000", "520000"],
    ),
    (
        "海纳微检生物技术有限公司",
        "海纳微检",
        "https://www.haina-poct.example",
        "江苏省苏州市",
        "新锐POCT企业，2026年获得心衰标志物注册证后在急诊科快速推广。",
        ["320000", "340000", "370000"],
    ),
]

# competitor short name, name, model, methodology, tests per hour, sample types, registration no., our
# product code, price unit, base price (CNY), specs
PRODUCTS = [
    (
        "华康诊断",
        "HK-i3000全自动化学发光免疫分析仪",
        "HK-i3000",
        M.CHEMILUMINESCENCE,
        200,
        "血清、血浆",
        "粤械注准20212220318",
        "CL-600",
        "台",
        "1280000",
        [("检测项目", "126项"), ("样本位", "150个"), ("试剂位", "30个（冷藏）"), ("首个结果时间", "17分钟")],
    ),
    (
        "华康诊断",
        "心肌肌钙蛋白I测定试剂盒（化学发光法）",
        "HK-cTnI",
        M.CHEMILUMINESCENCE,
        None,
        "血清、血浆",
        "国械注准20223400871",
        "CL-600",
        "人份",
        "38",
        [("检测范围", "0.01–50 ng/mL"), ("规格", "100人份/盒"), ("开瓶稳定期", "28天")],
    ),
    (
        "华康诊断",
        "HK-C800全自动生化分析仪",
        "HK-C800",
        M.BIOCHEMISTRY,
        800,
        "血清、血浆、尿液",
        "粤械注准20192220577",
        "MK-2000",
        "台",
        "560000",
        [("反应杯", "120个，可重复使用"), ("最小反应体积", "150 μL"), ("ISE模块", "选配")],
    ),
    (
        "迈瑞克生物",
        "MRK-CL2000i化学发光免疫分析仪",
        "CL2000i",
        M.CHEMILUMINESCENCE,
        240,
        "血清、血浆",
        "浙械注准20202220145",
        "CL-600",
        "台",
        "1450000",
        [("检测项目", "98项"), ("可联流水线", "是"), ("样本位", "300个")],
    ),
    (
        "迈瑞克生物",
        "MRK-BS600全自动生化分析仪",
        "BS600",
        M.BIOCHEMISTRY,
        600,
        "血清、血浆、尿液、脑脊液",
        "浙械注准20182220093",
        "MK-2000",
        "台",
        "480000",
        [("试剂位", "90个"), ("样本位", "120个"), ("光源", "卤素灯")],
    ),
    (
        "新源医疗",
        "XY-BC1200全自动生化分析仪",
        "BC1200",
        M.BIOCHEMISTRY,
        1200,
        "血清、血浆、尿液",
        "京械注准20172220460",
        "MK-2000",
        "台",
        "880000",
        [("试剂位", "2×60个"), ("连续加样", "是"), ("日均维护时间", "10分钟")],
    ),
    (
        "新源医疗",
        "XY-A1全自动化学发光免疫分析仪",
        "XY-A1",
        M.CHEMILUMINESCENCE,
        180,
        "血清、血浆",
        "京械注准20232220219",
        "CL-600",
        "台",
        "990000",
        [("检测项目", "72项"), ("首个结果时间", "20分钟")],
    ),
    (
        "新源医疗",
        "肝功生化检测试剂盒（丙氨酸氨基转移酶）",
        "XY-ALT",
        M.BIOCHEMISTRY,
        None,
        "血清、血浆",
        "京械注准20162400312",
        "MK-2000",
        "人份",
        "1.2",
        [("规格", "R1 4×60 mL + R2 2×30 mL"), ("线性范围", "5–1000 U/L")],
    ),
    (
        "博研生物",
        "BY-F100干式荧光免疫分析仪",
        "BY-F100",
        M.IMMUNOFLUORESCENCE,
        60,
        "全血、血清、血浆",
        "豫械注准20202220088",
        "POCT-CM",
        "台",
        "36000",
        [("重量", "3.2 kg"), ("检测通道", "6个"), ("电源", "交流电或锂电池")],
    ),
    (
        "博研生物",
        "心肌三项联合检测试剂盒（荧光免疫层析法）",
        "BY-CM3",
        M.IMMUNOFLUORESCENCE,
        None,
        "全血、血清、血浆",
        "国械注准20213400642",
        "POCT-CM",
        "人份",
        "65",
        [("检测项目", "cTnI、CK-MB、Myo"), ("出结果时间", "15分钟"), ("规格", "25人份/盒")],
    ),
    (
        "瑞达康",
        "RDK-M6全自动化学发光免疫分析仪",
        "RDK-M6",
        M.CHEMILUMINESCENCE,
        150,
        "血清、血浆",
        "川械注准20212220051",
        "CL-600",
        "台",
        "760000",
        [("检测项目", "65项"), ("占地面积", "0.9 m²")],
    ),
    (
        "瑞达康",
        "心肌肌钙蛋白I检测试剂盒（胶体金法）",
        "RDK-cTnI-G",
        M.COLLOIDAL_GOLD,
        None,
        "全血、血清",
        "川械注准20192400133",
        "POCT-CM",
        "人份",
        "18",
        [("判读方式", "目测定性"), ("出结果时间", "10分钟")],
    ),
    (
        "海纳微检",
        "N末端脑钠肽前体检测试剂盒（荧光免疫层析法）",
        "HN-NTproBNP",
        M.IMMUNOFLUORESCENCE,
        None,
        "全血、血浆",
        "国械注准20263400025",
        "POCT-CM",
        "人份",
        "85",
        [("检测范围", "50–35000 pg/mL"), ("出结果时间", "12分钟"), ("配套仪器", "HN-Q5")],
    ),
    (
        "海纳微检",
        "HN-Q5多通道荧光免疫分析仪",
        "HN-Q5",
        M.IMMUNOFLUORESCENCE,
        80,
        "全血、血清、血浆",
        "苏械注准20252220310",
        "POCT-CM",
        "台",
        "42000",
        [("检测通道", "8个"), ("数据接口", "LIS、蓝牙")],
    ),
]

# Our own products' prices, for the comparison by province: code, unit, base price.
OUR_PRICES = [("CL-600", "台", "1180000"), ("MK-2000", "台", "620000"), ("POCT-CM", "人份", "58")]

CITIES = {
    "110000": "北京",
    "120000": "天津",
    "130000": "石家庄",
    "310000": "上海",
    "320000": "南京",
    "330000": "杭州",
    "340000": "合肥",
    "350000": "福州",
    "370000": "济南",
    "410000": "郑州",
    "420000": "武汉",
    "430000": "长沙",
    "440000": "广州",
    "450000": "南宁",
    "500000": "重庆",
    "510000": "成都",
    "520000": "贵阳",
    "530000": "昆明",
    "610000": "西安",
}

HOSPITALS = ["省人民医院", "市第一人民医院", "医科大学附属医院", "市中心医院", "县人民医院", "妇幼保健院"]
DISTRIBUTORS = ["华东医疗器械有限公司", "康达医药供应链公司", "瑞丰检验耗材商行", "众和医学科技公司"]

# kind, title, body, source, days ago, level, author, competitors (short names), competitor products
# (names), our products (codes), provinces (codes), tags, policy fields or None
REPORTS = [
    # Policies and announcements (政策、公告).
    (
        Kind.POLICY,
        "国家医保局关于开展体外诊断试剂集中带量采购工作的通知",
        "通知要求各省在2026年底前完成化学发光、生化类试剂的联盟集采，原则上按检测项目分组，"
        "中选价格较基线平均降幅不低于50%。医疗机构应优先使用中选产品，约定采购量不低于上年用量的80%。",
        "国家医疗保障局官网",
        410,
        Level.PUBLIC,
        "manager",
        [],
        [],
        ["CL-600", "MK-2000"],
        [],
        ["集采", "化学发光", "生化"],
        {
            "issuer": "国家医疗保障局",
            "issuer_kind": Issuer.GOVERNMENT,
            "document_number": "医保发〔2025〕18号",
            "effective_days_ago": 380,
            "impact": "我司CL-600试剂在已中标省份面临约五成降价压力；需按项目测算报价底线，优先保量。",
        },
    ),
    (
        Kind.POLICY,
        "国家药监局关于发布体外诊断试剂分类目录（2025年修订版）的公告",
        "修订后的分类目录将部分心肌标志物快速检测试剂由第二类调整为第三类管理，已取得第二类注册证的产品"
        "须在过渡期内完成变更注册。",
        "国家药品监督管理局官网",
        330,
        Level.PUBLIC,
        "research",
        ["瑞达康"],
        ["心肌肌钙蛋白I检测试剂盒（胶体金法）"],
        ["POCT-CM"],
        [],
        ["注册审批", "POCT", "心肌标志物"],
        {
            "issuer": "国家药品监督管理局",
            "issuer_kind": Issuer.GOVERNMENT,
            "document_number": "国家药监局公告2025年第61号",
            "effective_days_ago": 150,
            "impact": "瑞达康胶体金法cTnI为第二类注册证，过渡期后可能暂停销售；POCT-CM可借机进入其西南客户。",
        },
    ),
    (
        Kind.POLICY,
        "国家卫生健康委关于印发医疗机构临床检验项目目录（2025年版）的通知",
        "新版目录新增N末端脑钠肽前体、超敏肌钙蛋白等项目，并对检验结果互认提出要求，二级以上医院须在2026年"
        "实现同级互认。",
        "国家卫生健康委员会官网",
        300,
        Level.PUBLIC,
        "research",
        [],
        [],
        ["POCT-CM", "CL-600"],
        [],
        ["心肌标志物"],
        {
            "issuer": "国家卫生健康委员会",
            "issuer_kind": Issuer.GOVERNMENT,
            "document_number": "国卫医政发〔2025〕9号",
            "effective_days_ago": 270,
            "impact": "互认要求利好质控体系完善、装机量大的厂家；需加快CL-600在二级医院的室间质评覆盖。",
        },
    ),
    (
        Kind.POLICY,
        "安徽省牵头化学发光试剂省际联盟集中带量采购公告",
        "联盟覆盖安徽、江西、河南等十五省，采购品种包括甲功、肿瘤标志物、心肌标志物等二十三个项目，"
        "按企业申报量分A、B两组竞价。",
        "安徽省医药集中采购平台",
        240,
        Level.PUBLIC,
        "research",
        ["华康诊断", "迈瑞克生物", "瑞达康"],
        [],
        ["CL-600"],
        ["340000", "360000", "410000"],
        ["集采", "化学发光"],
        {
            "issuer": "安徽省医疗保障局",
            "issuer_kind": Issuer.GOVERNMENT,
            "document_number": "皖医保秘〔2026〕5号",
            "effective_days_ago": 200,
            "impact": "我司属B组，报价须低于A组最高有效申报价；河南为我司重点省份，须确保中选。",
        },
    ),
    (
        Kind.POLICY,
        "江西省关于公布肝功生化类检测试剂省际联盟集采中选结果的通知",
        "二十五省联盟肝功生化试剂集采共有三十二家企业中选，平均降价71%，中选结果自公布之日起执行两年。",
        "江西省医疗保障局官网",
        480,
        Level.PUBLIC,
        "research",
        ["新源医疗", "迈瑞克生物"],
        ["肝功生化检测试剂盒（丙氨酸氨基转移酶）"],
        ["MK-2000"],
        ["360000"],
        ["集采", "生化"],
        {
            "issuer": "江西省医疗保障局",
            "issuer_kind": Issuer.GOVERNMENT,
            "document_number": "赣医保发〔2025〕21号",
            "effective_days_ago": 450,
            "impact": "生化试剂利润大幅压缩，MK-2000的卖点应转向仪器稳定性与整体运营成本。",
        },
    ),
    (
        Kind.POLICY,
        "按病组（DRG）和病种分值（DIP）付费2.0版分组方案",
        "新版分组方案细化了急性胸痛、心衰等病组，检验费用计入病组成本，医院有动力控制检验项目数量与单价。",
        "国家医疗保障局官网",
        520,
        Level.PUBLIC,
        "manager",
        [],
        [],
        ["POCT-CM"],
        [],
        ["DRG"],
        {
            "issuer": "国家医疗保障局",
            "issuer_kind": Issuer.GOVERNMENT,
            "document_number": "医保办发〔2024〕9号",
            "effective_days_ago": 500,
            "impact": "急诊快速检测需证明能缩短住院日；POCT-CM的推广材料应补充卫生经济学数据。",
        },
    ),
    (
        Kind.POLICY,
        "心肌肌钙蛋白检测临床应用中国专家共识（2025）",
        "共识推荐急诊胸痛患者优先采用高敏肌钙蛋白0/1小时快速诊断流程，并对床旁检测的分析性能提出最低要求。",
        "中华医学会检验医学分会",
        200,
        Level.PUBLIC,
        "research",
        ["博研生物", "海纳微检"],
        [],
        ["POCT-CM"],
        [],
        ["心肌标志物", "学术会议", "POCT"],
        {
            "issuer": "中华医学会检验医学分会",
            "issuer_kind": Issuer.SOCIETY,
            "document_number": "",
            "effective_days_ago": None,
            "impact": "POCT-CM的检测下限需对照共识要求复核，不达标的医院应转推CL-600高敏方案。",
        },
    ),
    (
        Kind.POLICY,
        "体外诊断试剂冷链物流行业规范（团体标准）",
        "规范对试剂运输温度记录、断链处置与追溯提出要求，经销商须在2026年7月前完成冷链设备升级。",
        "中国医疗器械行业协会体外诊断分会",
        160,
        Level.INTERNAL,
        "assistant",
        [],
        [],
        [],
        [],
        ["渠道"],
        {
            "issuer": "中国医疗器械行业协会体外诊断分会",
            "issuer_kind": Issuer.TRADE_BODY,
            "document_number": "T/CAMDI 112-2025",
            "effective_days_ago": 40,
            "impact": "部分小型经销商可能退出，需提前评估我司西南渠道的冷链能力。",
        },
    ),
    # Industry trends (行业动态).
    (
        Kind.INDUSTRY_TREND,
        "2026年上半年国内化学发光市场规模与格局分析",
        "上半年化学发光市场同比增长6%，增速明显放缓；国产品牌在二级医院份额首次超过进口品牌，"
        "三级医院仍由进口品牌主导。",
        "行业协会季度报告",
        150,
        Level.INTERNAL,
        "research",
        ["华康诊断", "迈瑞克生物"],
        [],
        ["CL-600"],
        [],
        ["化学发光"],
        None,
    ),
    (
        Kind.INDUSTRY_TREND,
        "县域医共体检验中心建设带动中小型生化仪需求",
        "多省推进县域医共体检验中心，中速生化仪与小型发光仪的采购需求集中释放，预算多在百万元以内。",
        "省卫健委公开信息与经销商访谈",
        95,
        Level.INTERNAL,
        "research",
        ["新源医疗", "博研生物"],
        [],
        ["MK-2000"],
        ["410000", "420000"],
        ["生化", "装机"],
        None,
    ),
    (
        Kind.INDUSTRY_TREND,
        "集采后第三方医学检验所采购策略的变化",
        "第三方实验室开始整体打包招标，要求厂家同时提供仪器、试剂与信息化服务，单一产品厂家处于劣势。",
        "金域、迪安等公开招标文件",
        60,
        Level.PUBLIC,
        "assistant",
        [],
        [],
        ["CL-600"],
        ["310000", "440000"],
        ["集采", "渠道"],
        None,
    ),
    (
        Kind.INDUSTRY_TREND,
        "基层医疗机构POCT设备配置情况抽样",
        "在河南、湖北抽样的四十家乡镇卫生院中，有二十六家已配置荧光POCT设备，心肌标志物检测开展率约六成。",
        "基层医疗机构走访",
        210,
        Level.INTERNAL,
        "service",
        ["博研生物"],
        ["BY-F100干式荧光免疫分析仪"],
        ["POCT-CM"],
        ["410000", "420000"],
        ["POCT"],
        None,
    ),
    (
        Kind.INDUSTRY_TREND,
        "进口品牌化学发光试剂降价应对集采",
        "两家进口品牌在非集采省份主动下调甲功、肿标试剂价格约三成，意在锁定三级医院存量。",
        "经销商反馈",
        35,
        Level.CONFIDENTIAL,
        "research",
        [],
        [],
        ["CL-600"],
        ["320000", "330000"],
        ["价格战", "化学发光"],
        None,
    ),
    (
        Kind.INDUSTRY_TREND,
        "检验科实验室自动化流水线采购趋势",
        "三级医院新建检验楼普遍要求生化免疫流水线，单线预算在八百万至一千五百万元之间。",
        "公开招标公告汇总",
        120,
        Level.PUBLIC,
        "research",
        ["迈瑞克生物"],
        ["MRK-CL2000i化学发光免疫分析仪"],
        ["MK-2000", "CL-600"],
        [],
        ["装机"],
        None,
    ),
    # Competitor moves (竞品动态).
    (
        Kind.COMPETITOR_MOVE,
        "华康诊断在广东推出化学发光仪器投放换试剂方案",
        "华康诊断对年检测量超过五万测试的二级医院免费投放HK-i3000，要求五年试剂独家供应，已签约十一家医院。",
        "广州经销商",
        25,
        Level.CONFIDENTIAL,
        "research",
        ["华康诊断"],
        ["HK-i3000全自动化学发光免疫分析仪"],
        ["CL-600"],
        ["440000"],
        ["化学发光", "渠道", "装机"],
        None,
    ),
    (
        Kind.COMPETITOR_MOVE,
        "迈瑞克生物发布MRK-CL2000i新一代流水线",
        "迈瑞克生物在年度用户大会上发布可联接生化与发光模块的新流水线，宣称单线日处理样本三千份。",
        "迈瑞克生物新闻发布会",
        80,
        Level.PUBLIC,
        "research",
        ["迈瑞克生物"],
        ["MRK-CL2000i化学发光免疫分析仪"],
        ["CL-600"],
        ["330000"],
        ["新品上市", "化学发光"],
        None,
    ),
    (
        Kind.COMPETITOR_MOVE,
        "新源医疗XY-A1化学发光仪获批上市",
        "新源医疗首款化学发光仪XY-A1取得注册证，首批七十二个项目，预计先在京津冀现有生化客户中捆绑销售。",
        "北京市药监局公示",
        400,
        Level.PUBLIC,
        "research",
        ["新源医疗"],
        ["XY-A1全自动化学发光免疫分析仪"],
        ["CL-600"],
        ["110000", "130000"],
        ["新品上市", "注册审批", "化学发光"],
        None,
    ),
    (
        Kind.COMPETITOR_MOVE,
        "海纳微检取得NT-proBNP第三类注册证",
        "海纳微检的N末端脑钠肽前体检测试剂盒获国家药监局批准，配套HN-Q5分析仪，正在江苏急诊科开展试用。",
        "国家药监局数据库",
        70,
        Level.PUBLIC,
        "research",
        ["海纳微检"],
        ["N末端脑钠肽前体检测试剂盒（荧光免疫层析法）"],
        ["POCT-CM"],
        ["320000"],
        ["新品上市", "注册审批", "POCT"],
        None,
    ),
    (
        Kind.COMPETITOR_MOVE,
        "博研生物更换河南总代理",
        "博研生物终止与原河南总代理的合作，改为按地市设立八家区域经销商，部分医院出现断货。",
        "河南客户反馈",
        45,
        Level.INTERNAL,
        "service",
        ["博研生物"],
        [],
        ["POCT-CM"],
        ["410000"],
        ["渠道"],
        None,
    ),
    (
        Kind.COMPETITOR_MOVE,
        "瑞达康西南区销售团队大规模调整",
        "瑞达康撤并重庆、贵州办事处，约三十名销售离职，部分转投我司经销商。",
        "前员工访谈",
        30,
        Level.CONFIDENTIAL,
        "research",
        ["瑞达康"],
        [],
        [],
        ["500000", "520000"],
        ["渠道"],
        None,
    ),
    (
        Kind.COMPETITOR_MOVE,
        "华康诊断拟收购一家生化试剂企业",
        "据接近交易的人士透露，华康诊断正与一家江苏生化试剂企业谈判收购，估值约十二亿元，尚未公告。",
        "投资机构人士",
        12,
        Level.SECRET,
        "manager",
        ["华康诊断"],
        [],
        ["MK-2000"],
        ["320000"],
        ["生化"],
        None,
    ),
    (
        Kind.COMPETITOR_MOVE,
        "迈瑞克生物对浙江重点医院的年度返利政策",
        "迈瑞克生物对浙江十二家三甲医院给予试剂采购额8%至12%的年度返利，以设备维保服务形式兑现。",
        "内部渠道",
        20,
        Level.SECRET,
        "manager",
        ["迈瑞克生物"],
        [],
        ["CL-600", "MK-2000"],
        ["330000"],
        ["渠道", "价格战"],
        None,
    ),
    (
        Kind.COMPETITOR_MOVE,
        "新源医疗生化仪在山东招标中连续落标",
        "新源医疗XY-BC1200在山东近三次公立医院招标中均未中标，原因是维保响应时间承诺不足。",
        "山东省政府采购网",
        140,
        Level.INTERNAL,
        "assistant",
        ["新源医疗"],
        ["XY-BC1200全自动生化分析仪"],
        ["MK-2000"],
        ["370000"],
        ["装机"],
        None,
    ),
    (
        Kind.COMPETITOR_MOVE,
        "华康诊断心肌标志物试剂进入湖南集采备选名单",
        "湖南省公布化学发光集采备选名单，华康诊断cTnI试剂以最低申报价进入A组。",
        "湖南省医保局公示",
        100,
        Level.PUBLIC,
        "research",
        ["华康诊断"],
        ["心肌肌钙蛋白I测定试剂盒（化学发光法）"],
        ["CL-600"],
        ["430000"],
        ["集采", "心肌标志物"],
        None,
    ),
    # Pricing (价格情报).
    (
        Kind.PRICING,
        "江苏省化学发光试剂集采中选价格汇总",
        "江苏联盟集采中，甲功五项平均中选价每人份14.6元，心肌标志物平均每人份22元，较集采前下降约六成。",
        "江苏省阳光采购平台",
        180,
        Level.PUBLIC,
        "research",
        ["迈瑞克生物", "华康诊断"],
        [],
        ["CL-600"],
        ["320000"],
        ["集采", "化学发光"],
        None,
    ),
    (
        Kind.PRICING,
        "华东地区生化仪终端成交价调研",
        "华东地区800测试每小时级别生化仪终端成交价集中在四十五万至六十万元，进口品牌溢价约四成。",
        "经销商报价单",
        110,
        Level.CONFIDENTIAL,
        "research",
        ["迈瑞克生物", "新源医疗"],
        ["MRK-BS600全自动生化分析仪", "XY-BC1200全自动生化分析仪"],
        ["MK-2000"],
        ["320000", "330000", "310000"],
        ["生化"],
        None,
    ),
    (
        Kind.PRICING,
        "博研生物心肌三联卡在县级医院的实际供货价",
        "博研生物心肌三联卡在河南县级医院的实际供货价降至每人份42元，低于其挂网价三成。",
        "县级医院采购记录",
        55,
        Level.CONFIDENTIAL,
        "service",
        ["博研生物"],
        ["心肌三项联合检测试剂盒（荧光免疫层析法）"],
        ["POCT-CM"],
        ["410000"],
        ["价格战", "POCT", "心肌标志物"],
        None,
    ),
    (
        Kind.PRICING,
        "我司CL-600在重点省份的投标底价建议",
        "结合各省集采中选价与竞品报价，建议CL-600仪器投标底价不低于九十八万元，试剂按项目分三档报价。",
        "市场部测算",
        15,
        Level.SECRET,
        "manager",
        ["华康诊断", "迈瑞克生物"],
        [],
        ["CL-600"],
        ["320000", "330000", "410000"],
        ["集采", "化学发光"],
        None,
    ),
    (
        Kind.PRICING,
        "西南地区胶体金心肌试剂挂网价对比",
        "四川、重庆挂网价显示，胶体金法cTnI每人份15至20元，荧光法每人份45至70元，价差正在缩小。",
        "省级挂网采购平台",
        260,
        Level.INTERNAL,
        "assistant",
        ["瑞达康", "博研生物"],
        [],
        ["POCT-CM"],
        ["510000", "500000"],
        ["POCT"],
        None,
    ),
    (
        Kind.PRICING,
        "海纳微检NT-proBNP试用期报价",
        "海纳微检对试用医院的NT-proBNP报价为每人份75元，并承诺年用量超过一万人份赠送两台HN-Q5。",
        "医院设备科",
        18,
        Level.CONFIDENTIAL,
        "research",
        ["海纳微检"],
        ["N末端脑钠肽前体检测试剂盒（荧光免疫层析法）", "HN-Q5多通道荧光免疫分析仪"],
        ["POCT-CM"],
        ["320000"],
        ["POCT", "新品上市"],
        None,
    ),
    # Research findings (调研发现).
    (
        Kind.RESEARCH_FINDING,
        "基层医疗机构心肌标志物检测需求调研结论",
        "基层医生最看重出结果时间与操作简便，其次是单价；超过七成受访机构希望设备可用电池供电。",
        "POCT心肌标志物基层市场需求调研",
        130,
        Level.INTERNAL,
        "research",
        ["博研生物", "瑞达康"],
        [],
        ["POCT-CM"],
        ["410000", "420000", "510000"],
        ["POCT", "心肌标志物"],
        None,
    ),
    (
        Kind.RESEARCH_FINDING,
        "急诊科对POCT-CM使用满意度访谈",
        "二十位急诊科主任中有十五位认可POCT-CM的出结果速度，但对高值样本的重复性提出疑问。",
        "POCT心肌标志物基层市场需求调研",
        125,
        Level.CONFIDENTIAL,
        "research",
        [],
        [],
        ["POCT-CM"],
        ["320000"],
        ["POCT"],
        None,
    ),
    (
        Kind.RESEARCH_FINDING,
        "华东三级医院化学发光品牌占有率初步统计",
        "在已回收的六十二家三级医院问卷中，进口品牌占比58%，华康诊断17%，迈瑞克生物12%，我司7%。",
        "2026年华东地区化学发光市场份额调研",
        10,
        Level.CONFIDENTIAL,
        "research",
        ["华康诊断", "迈瑞克生物"],
        [],
        ["CL-600"],
        ["320000", "330000", "310000"],
        ["化学发光"],
        None,
    ),
    (
        Kind.RESEARCH_FINDING,
        "MK-2000用户流失原因分析",
        "近两年流失的十四家MK-2000用户中，九家转向集采中选的生化试剂配套仪器，三家因维保响应慢。",
        "客户回访记录",
        75,
        Level.INTERNAL,
        "service",
        ["新源医疗", "迈瑞克生物"],
        [],
        ["MK-2000"],
        [],
        ["生化", "集采"],
        None,
    ),
    (
        Kind.RESEARCH_FINDING,
        "第三方实验室对检测菜单完整度的要求",
        "受访的五家第三方实验室均要求单一平台覆盖一百项以上免疫项目，CL-600菜单需在一年内补齐。",
        "第三方实验室访谈",
        90,
        Level.INTERNAL,
        "research",
        [],
        [],
        ["CL-600"],
        ["310000", "440000"],
        ["化学发光"],
        None,
    ),
    # Conference and society news (会议与学会动态).
    (
        Kind.CONFERENCE,
        "全国检验医学学术年会参会纪要",
        "年会主题为检验结果互认与实验室自动化；华康诊断、迈瑞克生物均设大型展台，迈瑞克现场演示了新流水线。",
        "市场部参会",
        85,
        Level.INTERNAL,
        "assistant",
        ["华康诊断", "迈瑞克生物"],
        [],
        [],
        [],
        ["学术会议"],
        None,
    ),
    (
        Kind.CONFERENCE,
        "中国医学装备大会体外诊断展区观察",
        "展区新品以小型化学发光仪与多通道荧光POCT为主，海纳微检首次参展并发布HN-Q5。",
        "市场部参会",
        230,
        Level.PUBLIC,
        "assistant",
        ["海纳微检"],
        ["HN-Q5多通道荧光免疫分析仪"],
        ["POCT-CM"],
        [],
        ["学术会议", "新品上市", "POCT"],
        None,
    ),
    (
        Kind.CONFERENCE,
        "胸痛中心建设年会：快速检测的质量要求",
        "胸痛中心认证标准新增床旁检测质控条款，要求每日质控并与中心实验室定期比对。",
        "胸痛中心联盟",
        170,
        Level.PUBLIC,
        "research",
        [],
        [],
        ["POCT-CM"],
        [],
        ["学术会议", "心肌标志物"],
        None,
    ),
    (
        Kind.CONFERENCE,
        "省检验学会青年论坛：生化检测的集采后管理",
        "多位检验科主任分享集采后试剂切换经验，普遍反映切换初期室内质控失控率上升。",
        "湖北省检验学会",
        65,
        Level.PUBLIC,
        "service",
        [],
        [],
        ["MK-2000"],
        ["420000"],
        ["学术会议", "生化", "集采"],
        None,
    ),
    (
        Kind.CONFERENCE,
        "华康诊断用户大会会场交流",
        "华康诊断在用户大会上透露明年将推出每小时四百测试的高速发光仪，并开放部分项目的第三方试剂。",
        "参会经销商",
        40,
        Level.CONFIDENTIAL,
        "research",
        ["华康诊断"],
        [],
        ["CL-600"],
        ["440000"],
        ["新品上市", "化学发光"],
        None,
    ),
]

# title, objective, method, sample, start (days from today), due (days from today), owner, status,
# budget, findings, level, titles of the reports that came out of it
PLANS = [
    (
        "2026年华东地区化学发光市场份额调研",
        "摸清江苏、浙江、上海三级医院化学发光平台的品牌占有率与试剂年用量，为明年投标与投放策略提供依据。",
        "问卷调查与检验科主任访谈相结合，辅以公开招标数据。",
        "江浙沪三级医院检验科120家，目标回收率70%。",
        -35,
        6,
        "research",
        ResearchPlan.Status.IN_PROGRESS,
        "80000",
        "",
        Level.CONFIDENTIAL,
        ["华东三级医院化学发光品牌占有率初步统计"],
    ),
    (
        "POCT心肌标志物基层市场需求调研",
        "了解乡镇卫生院与县级医院对心肌标志物快速检测的需求、采购方式与价格承受力。",
        "实地走访、电话访谈与采购记录分析。",
        "河南、湖北、四川三省基层医疗机构80家，急诊科主任20位。",
        -220,
        -120,
        "research",
        ResearchPlan.Status.COMPLETED,
        "45000",
        "基层需求以出结果速度和操作简便为先，单价承受力在每人份50元以下；县级医院倾向打包采购设备与试剂。"
        "建议POCT-CM推出基层套装并配套电池供电机型。",
        Level.INTERNAL,
        ["基层医疗机构心肌标志物检测需求调研结论", "急诊科对POCT-CM使用满意度访谈"],
    ),
    (
        "主要竞品渠道返利政策摸底",
        "弄清华康诊断与迈瑞克生物在重点省份的返利、投放与维保政策，评估我司渠道政策的竞争力。",
        "经销商深访与前员工访谈。",
        "重点省份经销商15家。",
        10,
        70,
        "manager",
        ResearchPlan.Status.APPROVED,
        "30000",
        "",
        Level.SECRET,
        [],
    ),
]

# competitor short name, level, (strengths, weaknesses, responses, latest moves, what changed) × 2
BATTLECARDS = [
    (
        "华康诊断",
        Level.CONFIDENTIAL,
        [
            (
                "装机量大，品牌认知度高；化学发光菜单完整。",
                "售后响应慢，基层覆盖弱。",
                "强调CL-600的维保响应承诺与更低的单测试成本。",
                "参与广东、湖南集采。",
                "首版",
            ),
            (
                "装机量大，菜单超过一百二十项；集采中以低价换量。",
                "仪器投放占用大量资金，试剂独家绑定引起医院顾虑；售后响应慢。",
                "主推CL-600开放性与五年维保承诺；用集采中选价测算给医院看总成本。",
                "在广东推出投放换试剂方案；拟收购生化试剂企业（待证实）。",
                "补充投放方案与集采动向",
            ),
        ],
    ),
    (
        "迈瑞克生物",
        Level.CONFIDENTIAL,
        [
            (
                "华东渠道密集，流水线方案完整。",
                "单机价格高。",
                "在中型医院强调CL-600的性价比。",
                "发布新流水线。",
                "首版",
            ),
            (
                "华东渠道密集，生化免疫流水线可整体交付；用户大会影响力强。",
                "单机价格高，流水线对场地要求高；返利政策依赖经销商垫资。",
                "对无流水线需求的二级医院主推CL-600单机；突出安装周期短。",
                "发布MRK-CL2000i新流水线；浙江重点医院年度返利。",
                "补充返利与流水线信息",
            ),
        ],
    ),
    (
        "新源医疗",
        Level.INTERNAL,
        [
            ("大型生化仪性能稳定，北方医院关系深。", "发光产品刚上市。", "以CL-600成熟菜单对比XY-A1。", "", "首版"),
            (
                "大型生化仪性能稳定，京津冀与山东客户基础深厚。",
                "化学发光菜单仅七十二项；山东招标连续落标，维保承诺不足。",
                "生化客户中推MK-2000加CL-600组合，强调一站式服务。",
                "XY-A1获批上市；山东落标。",
                "补充发光新品与落标情况",
            ),
        ],
    ),
    (
        "博研生物",
        Level.CONFIDENTIAL,
        [
            ("基层覆盖广，价格灵活。", "产品单一。", "以POCT-CM的检测性能对比。", "", "首版"),
            (
                "县域与乡镇覆盖广，心肌三联卡价格低，仪器便携。",
                "渠道调整导致河南断货；检测精密度一般。",
                "抓住断货窗口进入河南县级医院；用专家共识的性能要求说话。",
                "更换河南总代理；县级医院供货价降至每人份42元。",
                "补充渠道调整与供货价",
            ),
        ],
    ),
    (
        "瑞达康",
        Level.INTERNAL,
        [
            ("西南区域龙头，经销商忠诚度高。", "产品线老化。", "强调CL-600与POCT-CM的注册证齐全。", "", "首版"),
            (
                "西南经销商网络稳固，胶体金产品价格极低。",
                "胶体金cTnI面临注册分类调整；销售团队大量流失。",
                "接触流失销售所在医院；以第三类注册证的POCT-CM替换胶体金产品。",
                "西南团队调整；注册分类调整的过渡期临近。",
                "补充政策影响与团队变动",
            ),
        ],
    ),
    (
        "海纳微检",
        Level.SECRET,
        [
            ("新产品性能好。", "渠道薄弱。", "强调我司服务网络。", "", "首版"),
            (
                "NT-proBNP第三类注册证在手，HN-Q5通道多、联网好。",
                "成立时间短，渠道集中在江苏；产能尚未验证。",
                "加快POCT-CM心衰项目注册；在江苏急诊科先行锁定年度协议。",
                "试用医院报价每人份75元并赠送设备。",
                "补充报价与试用情况",
            ),
        ],
    ),
]

# username, (target, key) pairs: competitor short names, competitor product names, tag names, province codes
FOLLOWS = [
    (
        "manager",
        [
            ("competitor", "华康诊断"),
            ("competitor", "迈瑞克生物"),
            ("tag", "集采"),
            ("province", "320000"),
        ],
    ),
    (
        "research",
        [
            ("competitor", "海纳微检"),
            ("product", "HK-i3000全自动化学发光免疫分析仪"),
            ("tag", "化学发光"),
            ("tag", "新品上市"),
            ("province", "330000"),
        ],
    ),
    ("staff", [("tag", "新品上市"), ("province", "410000")]),
]

PRICES_PER_PRODUCT = 12
OUR_PRICES_PER_PRODUCT = 10
HISTORY_DAYS = 540  # about 18 months


def _users() -> dict[str, User]:
    return {
        user.username: user
        for user in User.objects.filter(username__in=["manager", "research", "assistant", "service", "staff"])
    }


def _author(users, username: str) -> User:
    for name in (username, "manager", "research"):
        if name in users:
            return users[name]
    raise LookupError("Load the org demo (apps.org.demo.demo_data_load) before the intelligence demo.")


def _competitors(provinces) -> tuple[dict[str, Competitor], int]:
    created_count = 0
    competitors = {}
    for name, short_name, website, headquarters, notes, strong in COMPETITORS:
        competitor, created = Competitor.objects.get_or_create(
            name=name,
            defaults={"short_name": short_name, "website": website, "headquarters": headquarters, "notes": notes},
        )
        if created:
            competitor.strong_provinces.set([provinces[code] for code in strong])
            created_count += 1
        competitors[short_name] = competitor
    return competitors, created_count


def _products(competitors, ours) -> tuple[dict[str, CompetitorProduct], int]:
    created_count = 0
    products = {}
    for short, name, model, methodology, throughput, samples, registration, our_code, *_price, specs in PRODUCTS:
        product, created = CompetitorProduct.objects.get_or_create(
            competitor=competitors[short],
            name=name,
            defaults={
                "model_number": model,
                "methodology": methodology,
                "throughput_per_hour": throughput,
                "sample_types": samples,
                "registration_number": registration,
                "our_product": ours.get(our_code),
            },
        )
        created_count += created
        existing = set(product.specs.values_list("key", flat=True))
        ProductSpec.objects.bulk_create(
            [
                ProductSpec(product=product, key=key, value=value, sort_order=order)
                for order, (key, value) in enumerate(specs)
                if key not in existing
            ]
        )
        products[name] = product
    return products, created_count


def _price_rows(rng, *, today, provinces, strong_codes, unit, base, count, level_shift=0):
    """``count`` observations of one product over 18 months; older prices are higher (集采 pushes them down)."""
    channels = [PriceChannel.TENDER_RESULT] * 6 + [
        PriceChannel.QUOTATION,
        PriceChannel.QUOTATION,
        PriceChannel.DISTRIBUTOR_LIST,
        PriceChannel.DISTRIBUTOR_LIST,
        PriceChannel.HOSPITAL_PURCHASE,
    ]
    codes = list(strong_codes) + [code for code in CITIES if code not in strong_codes]
    rows = []
    for _number in range(count):
        age = rng.randint(0, HISTORY_DAYS)
        day = today - datetime.timedelta(days=age)
        code = rng.choice(codes[: max(len(strong_codes), 1) + 4])
        province = provinces[code]
        city = CITIES[code]
        channel = rng.choice(channels)
        factor = (1 + 0.35 * age / HISTORY_DAYS) * rng.uniform(0.92, 1.08)
        price = (Decimal(base) * Decimal(str(round(factor, 4)))).quantize(Decimal("0.01"))
        institution = f"{city}{rng.choice(HOSPITALS)}"
        if channel == PriceChannel.TENDER_RESULT:
            source = f"{province.name}{day.year}年医疗机构采购中标结果公示"
            level = rng.choice([Level.PUBLIC, Level.PUBLIC, Level.INTERNAL])
        elif channel == PriceChannel.QUOTATION:
            source = "竞品销售报价单"
            level = Level.CONFIDENTIAL
        elif channel == PriceChannel.DISTRIBUTOR_LIST:
            source = f"{rng.choice(DISTRIBUTORS)}价目表"
            institution = ""
            level = rng.choice([Level.INTERNAL, Level.CONFIDENTIAL])
        else:
            source = "医院设备科采购记录"
            level = rng.choice([Level.CONFIDENTIAL, Level.CONFIDENTIAL, Level.SECRET])
        rows.append(
            {
                "price": price,
                "unit": unit,
                "observed_on": day,
                "province": province,
                "city": city,
                "channel": channel,
                "source": source,
                "institution": institution,
                "confidentiality": min(level + level_shift, Level.SECRET),
            }
        )
    return rows


def _prices(rng, *, today, provinces, products, ours, recorder) -> int:
    new = []
    with_prices = set(
        PriceObservation.objects.filter(competitor_product__in=products.values())
        .values_list("competitor_product_id", flat=True)
        .distinct()
    )
    for short, name, *_middle, unit, base, _specs in PRODUCTS:
        product = products[name]
        if product.pk in with_prices:
            continue
        strong = [code for _n, s, _w, _h, _notes, codes in COMPETITORS if s == short for code in codes]
        for row in _price_rows(
            rng, today=today, provinces=provinces, strong_codes=strong, unit=unit, base=base, count=PRICES_PER_PRODUCT
        ):
            new.append(PriceObservation(competitor_product=product, recorded_by=recorder, **row))
    ours_with_prices = set(
        PriceObservation.objects.filter(our_product__in=ours.values()).values_list("our_product_id", flat=True)
    )
    for code, unit, base in OUR_PRICES:
        product = ours.get(code)
        if product is None or product.pk in ours_with_prices:
            continue
        for row in _price_rows(
            rng,
            today=today,
            provinces=provinces,
            strong_codes=["320000", "330000", "410000"],
            unit=unit,
            base=base,
            count=OUR_PRICES_PER_PRODUCT,
        ):
            new.append(PriceObservation(our_product=product, recorded_by=recorder, **row))
    PriceObservation.objects.bulk_create(new)
    return len(new)


def _tags() -> dict[str, Tag]:
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=TAGS)}
    Tag.objects.bulk_create([Tag(name=name) for name in TAGS if name not in existing])
    return {tag.name: tag for tag in Tag.objects.filter(name__in=TAGS)}


def _plans(users, today) -> tuple[dict[str, ResearchPlan], int]:
    created_count = 0
    plans = {}
    for title, objective, method, sample, start, due, owner, status, budget, findings, level, _reports in PLANS:
        plan, created = ResearchPlan.objects.get_or_create(
            title=title,
            defaults={
                "objective": objective,
                "method": method,
                "sample": sample,
                "starts_on": today + datetime.timedelta(days=start),
                "due_on": today + datetime.timedelta(days=due),
                "owner": _author(users, owner),
                "status": status,
                "budget": Decimal(budget),
                "findings": findings,
                "confidentiality": level,
            },
        )
        created_count += created
        plans[title] = plan
    return plans, created_count


def _reports(users, today, *, competitors, products, ours, provinces, tags, plans) -> list[IntelReport]:
    plan_of = {report: plans[plan[0]] for plan in PLANS for report in plan[-1]}
    existing = set(IntelReport.objects.filter(title__in=[row[1] for row in REPORTS]).values_list("title", flat=True))
    created = []
    for row in REPORTS:
        kind, title, body, source, days_ago, level, author, comps, prods, our_codes, codes, tag_names, policy = row
        if title in existing:
            continue
        fields = {}
        if policy:
            effective = policy["effective_days_ago"]
            fields = {
                "issuer": policy["issuer"],
                "issuer_kind": policy["issuer_kind"],
                "document_number": policy["document_number"],
                "effective_on": today - datetime.timedelta(days=effective) if effective is not None else None,
                "impact_assessment": policy["impact"],
            }
        writer = _author(users, author)
        if writer.clearance < level:  # nobody files what they may not read
            writer = _author(users, "manager")
        report = IntelReport.objects.create(
            kind=kind,
            title=title,
            body=body,
            source=source,
            reported_on=today - datetime.timedelta(days=days_ago),
            confidentiality=level,
            author=writer,
            research_plan=plan_of.get(title),
            **fields,
        )
        report.competitors.set([competitors[name] for name in comps])
        report.products.set([products[name] for name in prods])
        report.our_products.set([ours[code] for code in our_codes if code in ours])
        report.provinces.set([provinces[code] for code in codes])
        report.tags.set([tags[name] for name in tag_names])
        created.append(report)
    return created


def _battlecards(users, today, competitors) -> int:
    created_count = 0
    for number, (short, level, versions) in enumerate(BATTLECARDS):
        editor = _author(users, "research")
        if editor.clearance < level:
            editor = _author(users, "manager")
        card, created = Battlecard.objects.get_or_create(
            competitor=competitors[short],
            defaults={
                "confidentiality": level,
                "reviewed_on": today - datetime.timedelta(days=7 + 9 * number),
                "reviewed_by": editor,
            },
        )
        created_count += created
        for version_number, (strengths, weaknesses, responses, moves, summary) in enumerate(versions, start=1):
            version, _new = BattlecardVersion.objects.get_or_create(
                battlecard=card,
                number=version_number,
                defaults={
                    "strengths": strengths,
                    "weaknesses": weaknesses,
                    "responses": responses,
                    "latest_moves": moves,
                    "summary": summary,
                    "edited_by": editor,
                },
            )
        if card.current_id is None:
            card.current = version
            card.save(update_fields=["current", "updated_at"])
    return created_count


def _follows(users, *, competitors, products, tags, provinces) -> int:
    targets = {"competitor": competitors, "product": products, "tag": tags, "province": provinces}
    created_count = 0
    for username, follows in FOLLOWS:
        user = users.get(username)
        if user is None:
            continue
        for target, key in follows:
            _follow, created = Follow.objects.get_or_create(user=user, target=target, **{target: targets[target][key]})
            created_count += created
    return created_count


def _reindex(reports: list[IntelReport]) -> None:
    if not reports:
        return
    many = getattr(search, "reports_reindex", None)
    if many is not None:
        many(IntelReport.objects.filter(pk__in=[report.pk for report in reports]))
        return
    for report in reports:
        search.report_reindex(report=report)


@transaction.atomic
def intel_demo_load() -> dict[str, int]:
    """Create the demo intelligence desk; return how many rows of each kind were new."""
    today = timezone.localdate()
    rng = random.Random(20261201)  # noqa: S311 (demo figures, not secrets)
    users = _users()
    provinces = {province.code: province for province in Province.objects.all()}
    ours = {product.code: product for product in Product.objects.filter(code__in=[p[0] for p in OUR_PRICES])}

    competitors, new_competitors = _competitors(provinces)
    products, new_products = _products(competitors, ours)
    new_prices = _prices(
        rng, today=today, provinces=provinces, products=products, ours=ours, recorder=_author(users, "research")
    )
    tags = _tags()
    plans, new_plans = _plans(users, today)
    reports = _reports(
        users, today, competitors=competitors, products=products, ours=ours, provinces=provinces, tags=tags, plans=plans
    )
    _reindex(reports)
    new_battlecards = _battlecards(users, today, competitors)
    new_follows = _follows(users, competitors=competitors, products=products, tags=tags, provinces=provinces)
    return {
        "competitors": new_competitors,
        "products": new_products,
        "prices": new_prices,
        "reports": len(reports),
        "plans": new_plans,
        "battlecards": new_battlecards,
        "follows": new_follows,
    }
