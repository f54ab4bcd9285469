"""Seed data for the org app, taken from the Marketing Department regulation.

Source: market-dept-regulation.zh.txt (市场部职责, 市场部各岗位职责, 市场部管理准则).
Chinese text is copied exactly from the regulation (leading numbers and trailing
punctuation stripped, inner punctuation kept as in the source, including its ASCII
commas); English follows the project glossary. Pure Python data, no Django imports.
"""

# Department duties: the four functions of 一、市场部职责.
# (code, function, number, text_zh, text_en)
# function: intelligence (情报机构, F-INT-nn), advisory (参谋机构, F-ADV-nn),
# supervision (监管机构, F-SUP-nn), public_relations (公关机构, F-PR-nn).
DEPARTMENT_DUTIES = [
    (
        "F-INT-01",
        "intelligence",
        1,
        "跟踪行业发展趋势,建立和完善营销信息收集、处理、交流及保密系统",
        (
            "Track industry trends; build and improve the system for collecting, processing, exchanging and protecting "
            "marketing information"
        ),
    ),
    (
        "F-INT-02",
        "intelligence",
        2,
        "搜集行业信息,特别是竞争品牌产品的性能、价格、竞争手段等情报的收集、整理和分析",
        (
            "Gather industry information, in particular collecting, organizing and analyzing intelligence on the "
            "performance, prices and competitive tactics of competitor brands' products"
        ),
    ),
    (
        "F-INT-03",
        "intelligence",
        3,
        "进行市场调研,为公司市场活动提供决策依据",
        "Conduct market research to provide a basis for decisions on the company's marketing activities",
    ),
    ("F-INT-04", "intelligence", 4, "参与公司网站建设", "Take part in building the company website"),
    (
        "F-ADV-01",
        "advisory",
        1,
        "制订公司品牌战略、营销战略和产品企划策略",
        "Formulate the company's brand strategy, marketing strategy and product planning strategy",
    ),
    (
        "F-ADV-02",
        "advisory",
        2,
        "制订公司业务短、中、长期目标",
        "Set the company's short-, medium- and long-term business goals",
    ),
    (
        "F-ADV-03",
        "advisory",
        3,
        "做出销售预测,提出未来市场的分析、发展方向和规划",
        "Make sales forecasts and put forward analyses, development directions and plans for the future market",
    ),
    ("F-ADV-04", "advisory", 4, "新项目产品上市规划", "Plan the market launch of new project products"),
    ("F-ADV-05", "advisory", 5, "参与制定产品价格", "Take part in setting product prices"),
    ("F-ADV-06", "advisory", 6, "为重大投标活动出谋划策", "Devise strategies and give advice for major bids"),
    (
        "F-ADV-07",
        "advisory",
        7,
        "整理分析公司各业务部门的业务资料信息",
        "Organize and analyze the business data and information of the company's business departments",
    ),
    ("F-SUP-01", "supervision", 1, "业务系统廉政稽查", "Carry out integrity audits of the business system"),
    (
        "F-SUP-02",
        "supervision",
        2,
        "业务合作代理商的市场行为是否符合公司要求",
        "Check whether the market conduct of partner distribution agents meets the company's requirements",
    ),
    (
        "F-SUP-03",
        "supervision",
        3,
        "了解、掌握业务员心态并进行心态建设",
        "Understand and keep track of the salespeople's state of mind, and build a sound mindset",
    ),
    (
        "F-SUP-04",
        "supervision",
        4,
        "负责对新入职人员、代理商人员进行培训和监管",
        "Be responsible for the training and supervision of new hires and distribution agents' staff",
    ),
    ("F-SUP-05", "supervision", 5, "负责产销的协调工作", "Be responsible for coordinating production and sales"),
    (
        "F-PR-01",
        "public_relations",
        1,
        "实施品牌规划和品牌的形象建设",
        "Implement brand planning and build the brand image",
    ),
    (
        "F-PR-02",
        "public_relations",
        2,
        "制定及实施市场广告、推广活动和公关活动",
        "Plan and carry out market advertising, promotional activities and public-relations activities",
    ),
    (
        "F-PR-03",
        "public_relations",
        3,
        "完善、规范业务系统对外的各类文书",
        "Improve and standardize all kinds of outward documents of the business system",
    ),
    (
        "F-PR-04",
        "public_relations",
        4,
        "负责公司荣誉室的建设及各种资料的收集整理(如客户感谢函、锦旗、新闻报道等)",
        (
            "Be responsible for building the company's honors room and for collecting and organizing materials of all "
            "kinds (such as customers' thank-you letters, pennants and news reports)"
        ),
    ),
    (
        "F-PR-05",
        "public_relations",
        5,
        "合理进行广告媒体和代理上的挑选及管理",
        "Select and manage advertising media and advertising agencies sensibly",
    ),
    (
        "F-PR-06",
        "public_relations",
        6,
        "作好公司的售前、售中、售后服务工作",
        "Do the company's pre-sales, in-sales and after-sales service work well",
    ),
    (
        "F-PR-07",
        "public_relations",
        7,
        "代表公司对外发布需发布的信息",
        "Release to the public, on the company's behalf, the information that needs to be released",
    ),
]

# Positions of 二、市场部各岗位职责.
# (code, title_zh, title_en, headcount, sort_order)
POSITIONS = [
    ("MANAGER", "市场部经理", "Marketing manager", 1, 10),
    ("ASSISTANT", "市场部经理助理", "Manager's assistant", 1, 20),
    ("RESEARCH", "调研企划专员", "Research & planning specialist", 1, 30),
    ("SERVICE", "客户服务专员", "Customer-service specialist", 1, 40),
]

# Position duties. (code, position_code, number, text_zh, text_en)
POSITION_DUTIES = [
    (
        "MANAGER-01",
        "MANAGER",
        1,
        "全面计划、安排、管理市场部工作",
        "Plan, arrange and manage all the work of the Marketing Department",
    ),
    (
        "MANAGER-02",
        "MANAGER",
        2,
        "协调部门内部与其他部门之间的合作关系",
        "Coordinate cooperation within the department and between it and other departments",
    ),
    (
        "MANAGER-03",
        "MANAGER",
        3,
        "指导、检查、控制本部门各项工作的实施",
        "Guide, inspect and control the implementation of all the department's work",
    ),
    (
        "MANAGER-04",
        "MANAGER",
        4,
        "负责市场、技术服务预算管理,制定年度中心预算计划,监督、检查执行情况",
        (
            "Be responsible for managing the marketing and technical-service budgets, draw up the annual center budget "
            "plan, and supervise and check its execution"
        ),
    ),
    (
        "MANAGER-05",
        "MANAGER",
        5,
        "组织经销商、终端用户的市场调研工作,整理、分析产品的目标市场信息,监督公司新旧产品的渠道策略及销售政策",
        (
            "Organize market research among distributors and end users, organize and analyze target-market information "
            "on products, and oversee the channel strategies and sales policies for the company's new and existing "
            "products"
        ),
    ),
    (
        "MANAGER-06",
        "MANAGER",
        6,
        "参与产品引进管理工作,组织产品评估、考察、参与商务接洽谈判、建立合作关系",
        (
            "Take part in managing product introduction: organize product evaluations and site inspections, take part "
            "in business contacts and negotiations, and establish partnerships"
        ),
    ),
    (
        "MANAGER-07",
        "MANAGER",
        7,
        "负责组织有关部门制定公司及部门级市场开发计划和市场推广活动计划",
        (
            "Be responsible for organizing the relevant departments to draw up company- and department-level market "
            "development plans and market promotion activity plans"
        ),
    ),
    (
        "MANAGER-08",
        "MANAGER",
        8,
        "负责新产品上市的筹备及促销活动的执行管理工作",
        "Be responsible for preparing new product launches and for managing the execution of promotional activities",
    ),
    (
        "MANAGER-09",
        "MANAGER",
        9,
        "监督管理售后技术服务工作,协调解决公司的产品在临床用户使用中出现的问题",
        (
            "Supervise and manage after-sales technical service, and coordinate the resolution of problems that arise "
            "when clinical users use the company's products"
        ),
    ),
    (
        "MANAGER-10",
        "MANAGER",
        10,
        "负责制定本部门年度工作计划,并分解、落实、督导、检查计划执行情况",
        (
            "Be responsible for drawing up the department's annual work plan, and for breaking it down, putting it "
            "into effect, overseeing it and checking its execution"
        ),
    ),
    (
        "MANAGER-11",
        "MANAGER",
        11,
        "配合销售人员参加各省,市,级的招标和各省,市临检会议",
        (
            "Work with the sales staff to take part in provincial and municipal tenders and in provincial and "
            "municipal clinical-laboratory meetings"
        ),
    ),
    (
        "MANAGER-12",
        "MANAGER",
        12,
        "收集同行业中的新产品的动态,销售",
        "Collect news on new products in the industry and on their sales",
    ),
    ("MANAGER-13", "MANAGER", 13, "调查本行业的各项市场调查", "Carry out the various market surveys of the industry"),
    (
        "MANAGER-14",
        "MANAGER",
        14,
        "负责新产品对本公司人员的培训,对医院,代理商等的培训",
        (
            "Be responsible for training the company's staff on new products, and for training hospitals, distribution "
            "agents and others"
        ),
    ),
    ("MANAGER-15", "MANAGER", 15, "完成公司领导交办的其他工作", "Complete other work assigned by company leaders"),
    (
        "ASSISTANT-01",
        "ASSISTANT",
        1,
        "组织实施业务人员培训计划,跟踪培训效果",
        "Organize and carry out the training plan for sales staff, and track the results of the training",
    ),
    (
        "ASSISTANT-02",
        "ASSISTANT",
        2,
        "拟订并监督执行市场调研计划",
        "Draft the market research plan and supervise its execution",
    ),
    ("ASSISTANT-03", "ASSISTANT", 3, "规范公司业务文书系统", "Standardize the company's system of business documents"),
    (
        "ASSISTANT-04",
        "ASSISTANT",
        4,
        "指导各区域代理商和医院销售活动",
        "Guide the sales activities of distribution agents in each region and at hospitals",
    ),
    (
        "ASSISTANT-05",
        "ASSISTANT",
        5,
        "建立健全营销信息系统,制定内部信息、市场情报收集、整理、分析、交流及保密制度",
        (
            "Build and improve the marketing information system, and set up rules for collecting, organizing, "
            "analyzing, exchanging and protecting internal information and market intelligence"
        ),
    ),
    (
        "ASSISTANT-06",
        "ASSISTANT",
        6,
        "负责公司荣誉室的建设管理",
        "Be responsible for building and managing the company's honors room",
    ),
    (
        "ASSISTANT-07",
        "ASSISTANT",
        7,
        "正确地选择广告公司,负责企业各项产品、公关活动的策划与执行",
        (
            "Choose advertising agencies soundly, and be responsible for planning and executing the company's product "
            "and public-relations activities"
        ),
    ),
    (
        "ASSISTANT-08",
        "ASSISTANT",
        8,
        "对公司业务部门、分支机构及公司其他部门工作进行协调",
        "Coordinate the work of the company's business departments, branches and other departments",
    ),
    (
        "ASSISTANT-09",
        "ASSISTANT",
        9,
        "完成部门经理交办的其他工作",
        "Complete other work assigned by the department manager",
    ),
    (
        "RESEARCH-01",
        "RESEARCH",
        1,
        "负责组织执行市场调研计划的制定及实施",
        "Be responsible for organizing the drafting and implementation of the market research plan",
    ),
    (
        "RESEARCH-02",
        "RESEARCH",
        2,
        "协助市场部经理制定各项市场营销计划",
        "Assist the marketing manager in drawing up the marketing plans",
    ),
    (
        "RESEARCH-03",
        "RESEARCH",
        3,
        "收集竞争厂家的市场情报和各级政府、业界团体、学会发布的行业政策和信息",
        (
            "Collect market intelligence on competing manufacturers, and the industry policies and information issued "
            "by governments at all levels, industry bodies and professional societies"
        ),
    ),
    (
        "RESEARCH-04",
        "RESEARCH",
        4,
        "负责产品全方位企划,包括价格企划、包装企划、延伸企划等",
        "Be responsible for all-round product planning, including pricing, packaging and line-extension planning",
    ),
    (
        "RESEARCH-05",
        "RESEARCH",
        5,
        "为本部门和其他部门决策提供信息支持",
        "Provide information to support the decisions of this department and other departments",
    ),
    (
        "RESEARCH-06",
        "RESEARCH",
        6,
        "完成部门经理交办的其他工作",
        "Complete other work assigned by the department manager",
    ),
    (
        "SERVICE-01",
        "SERVICE",
        1,
        "及时、准确地处理客户投诉及售后维护过程中存在的问题",
        "Handle customer complaints and problems in after-sales maintenance promptly and accurately",
    ),
    (
        "SERVICE-02",
        "SERVICE",
        2,
        "建立客户档案,做好电话拜访和上门拜访工作",
        "Set up customer files, and carry out phone visits and on-site visits well",
    ),
    (
        "SERVICE-03",
        "SERVICE",
        3,
        "及时总结公司产品、服务中存在的问题,撰写报告并提出改进意见",
        "Promptly sum up the problems in the company's products and services, write reports and propose improvements",
    ),
    (
        "SERVICE-04",
        "SERVICE",
        4,
        "客户满意度调研分析及整改措施的制定实施",
        "Analyze customer satisfaction surveys, and draw up and carry out corrective actions",
    ),
    ("SERVICE-05", "SERVICE", 5, "客户资料的归档整理及更新", "File, organize and update customer records"),
    (
        "SERVICE-06",
        "SERVICE",
        6,
        "完成部门经理交办的其他工作",
        "Complete other work assigned by the department manager",
    ),
]

# Product lifecycle stages. (code, name_zh, name_en, sort_order)
LIFECYCLE_STAGES = [
    ("introduction", "导入期", "Introduction", 10),
    ("growth", "成长期", "Growth", 20),
    ("maturity", "成熟期", "Maturity", 30),
]

# Focus items per stage, from 市场部在产品推广的不同阶段侧重点各有不同.
# (stage_code, number, text_zh, text_en, [related DEPARTMENT_DUTIES codes])
STAGE_FOCUS = [
    ("introduction", 1, "进行市场调研和分析", "Conduct market research and analysis", ["F-INT-03"]),
    ("introduction", 2, "制定新项目产品上市规划", "Draw up launch plans for new project products", ["F-ADV-04"]),
    ("introduction", 3, "制定各阶段实施目标", "Set implementation goals for each phase", ["F-ADV-02"]),
    ("introduction", 4, "制定产品价格", "Set product prices", ["F-ADV-05"]),
    ("introduction", 5, "制定产品企划策略", "Formulate the product planning strategy", ["F-ADV-01"]),
    (
        "growth",
        1,
        "建立和完善营销信息收集、处理、交流及保密系统",
        "Build and improve the system for collecting, processing, exchanging and protecting marketing information",
        ["F-INT-01"],
    ),
    ("growth", 2, "制定年度营销目标计划", "Draw up the annual marketing target plan", ["F-ADV-02"]),
    ("growth", 3, "负责产销的协调工作", "Be responsible for coordinating production and sales", ["F-SUP-05"]),
    (
        "maturity",
        1,
        "对竞争品牌广告策略、竞争手段的分析",
        "Analyze competitor brands' advertising strategies and competitive tactics",
        ["F-INT-02"],
    ),
    (
        "maturity",
        2,
        "对销售预测,提出未来市场的分析、发展方向和规划",
        "Forecast sales and put forward analyses, development directions and plans for the future market",
        ["F-ADV-03"],
    ),
    ("maturity", 3, "制定产品企划策略", "Formulate the product planning strategy", ["F-ADV-01"]),
    ("maturity", 4, "制定广告策略", "Formulate the advertising strategy", ["F-PR-02"]),
    ("maturity", 5, "实施品牌规划", "Implement brand planning", ["F-PR-01"]),
]

# The guiding principle (八字方针).
GUIDING_PRINCIPLE_ZH = "支持、服务、监管、指导"
GUIDING_PRINCIPLE_EN = "Support, serve, supervise, guide"

# Version 1 of the department conduct rules: 市场部管理准则 一、日常管理内容.
# The source numbering is kept as is (it skips 7 and 8).
CONDUCT_RULES_TITLE_ZH = "市场部管理准则"
CONDUCT_RULES_TITLE_EN = "Marketing Department rules"
CONDUCT_RULES_BODY_ZH = (
    "1、市场部人员牢固树立公司、部门与个人之间利益相一致的观念。\n"
    "2、市场部人员必须对公司负责,严守公司机密,严格遵守公司各项规章制度。\n"
    "3、严格考勤制度,每日外出须先到公司报到。如由于工作原因不能到公司签到,须在前一天下班前报公司行政,逾期不补。\n"
    "4、上班时必须穿戴整洁,女职员不许穿拖鞋。\n"
    "5、接听电话或接待客户时需注意礼貌用语,态度热情。\n"
    "6、对新进员工进行内部培训,新产品对本公司人员的培训,对医院,代理商等的培训。\n"
    "9、补休、事假必须提前报部门负责人审批,严禁先休后报,病假必须出示医生假条。\n"
    "10、有事补休要将手上工作事宜交待给指定同事,重要活动期间不许补休。\n"
    "11、完成公司或部门交办的其他工作。"
)
CONDUCT_RULES_BODY_EN = (
    "1. Marketing Department staff hold firmly to the view that the interests of the company, the department and the "
    "individual are one and the same.\n"
    "2. Marketing Department staff must be accountable to the company, strictly keep the company's secrets and "
    "strictly observe all the company's rules and regulations.\n"
    "3. Attendance rules are strict: anyone working away from the office must first report to the company each day. If "
    "work prevents you from checking in at the company, you must notify the company's Administration before the end of "
    "the previous working day; no late filing.\n"
    "4. Dress neatly at work; female employees may not wear slippers.\n"
    "5. Use polite language and be warm and friendly when answering the phone or receiving customers.\n"
    "6. Give internal training to new employees, train the company's staff on new products, and train hospitals, "
    "distribution agents and others.\n"
    "9. Comp leave and personal leave must be submitted to the department head for approval in advance; leave first, "
    "report later is strictly forbidden. Sick leave requires a doctor's note.\n"
    "10. When taking comp leave for personal matters, hand over your work in hand to a designated colleague; no comp "
    "leave during important-activity periods.\n"
    "11. Complete other work assigned by the company or the department."
)

# Archive material types from 二、资料管理内容. (code, name_zh, name_en)
ARCHIVE_MATERIAL_TYPES = [
    ("brochure", "宣传册", "Brochure"),
    ("company_profile", "基本情况介绍", "Company profile"),
    ("marketing_manual", "营销手册", "Marketing manual"),
    ("fax", "传真", "Fax"),
    ("agreement", "协议书", "Agreement"),
    ("contract_copy", "合同副本", "Contract copy"),
    ("customer_file", "客户档案", "Customer file"),
    ("notebook", "记事本", "Notebook"),
    ("salesperson_record_card", "人员销售记事卡", "Salesperson record card"),
    ("report", "各种报表", "Reports (various)"),
    ("sales_report_form", "销售报告表", "Sales report form"),
]
