/*
 * demo_data.c - the demonstration company: a Shanghai service company
 * for air conditioning, refrigeration, appliances, dental units and
 * electrical work, with a round-the-clock rota for its hotel, supermarket,
 * clinic and office customers.  Data only; demo.c loads it.
 *
 * The rota: two crews, cooling (hvac, refrigeration, electrical) and care
 * (appliances, dental, electrical).  Each crew has one technician on the
 * day shift, one on the late shift and one on nights, five shifts a week,
 * and a sixth technician covering the other three's days off, so every
 * skill is on duty at every hour of every day.  Prices are in CNY fen.
 */
#include "demo/demo.h"
#include "demo/demo_int.h"

#define WEEKDAYS (MON | TUE | WED | THU | FRI)

const struct demo_skill demo_skills[] = {
    {"hvac", "Air conditioning and heat pumps"},
    {"appliance", "Household appliances"},
    {"electrical", "Electrical installation"},
    {"refrigeration", "Commercial refrigeration"},
    {"dental", "Dental chairs and units"},
};
const size_t demo_nskills = sizeof demo_skills / sizeof demo_skills[0];

#define COOLING(hvac, cold, elec)                                          \
    {{"hvac", hvac}, {"refrigeration", cold}, {"electrical", elec}}
#define CARE(appl, dent, elec)                                             \
    {{"appliance", appl}, {"dental", dent}, {"electrical", elec}}

const struct demo_tech demo_techs[] = {
    {.name = "Li Wei", .phone = "+86 139 1620 4417", .lat = 31.188,
     .lon = 121.437, .skills = COOLING(5, 4, 3),
     .rota = {[DEMO_DAY] = WEEKDAYS}},
    {.name = "Wang Fang", .phone = "+86 138 1766 2093", .lat = 31.229,
     .lon = 121.448, .skills = CARE(4, 5, 3),
     .rota = {[DEMO_DAY] = TUE | WED | THU | FRI | SAT}},
    {.name = "Chen Jie", .phone = "+86 137 6150 8842", .lat = 31.215,
     .lon = 121.410, .skills = COOLING(4, 5, 3),
     .rota = {[DEMO_LATE] = WED | THU | FRI | SAT | SUN}},
    {.name = "Liu Yang", .phone = "+86 136 8192 0375", .lat = 31.222,
     .lon = 121.520, .skills = CARE(5, 3, 4),
     .rota = {[DEMO_LATE] = THU | FRI | SAT | SUN | MON}},
    {.name = "Zhao Lei", .phone = "+86 139 1742 6651", .lat = 31.230,
     .lon = 121.480, .skills = COOLING(4, 4, 4),
     .rota = {[DEMO_NIGHT] = FRI | SAT | SUN | MON | TUE}},
    {.name = "Sun Qing", .phone = "+86 135 6477 2918", .lat = 31.200,
     .lon = 121.450, .skills = CARE(4, 4, 3),
     .rota = {[DEMO_NIGHT] = SAT | SUN | MON | TUE | WED}},
    {.name = "Zhang Min", .phone = "+86 138 0210 5536", .lat = 31.265,
     .lon = 121.495, .skills = COOLING(3, 3, 3),
     .rota = {[DEMO_DAY] = SAT | SUN, [DEMO_LATE] = MON | TUE,
              [DEMO_NIGHT] = WED | THU}},
    {.name = "Zhou Hao", .phone = "+86 137 1855 9204", .lat = 31.270,
     .lon = 121.515, .skills = CARE(3, 3, 3),
     .rota = {[DEMO_DAY] = SUN | MON, [DEMO_LATE] = TUE | WED,
              [DEMO_NIGHT] = THU | FRI}},
};
const size_t demo_ntechs = sizeof demo_techs / sizeof demo_techs[0];

const struct demo_customer_row demo_customers[C__COUNT] = {
    [C_HOTEL] = {"Lotus Garden Hotel", "+86 21 6218 8800",
                 "88 Huashan Road, Jing'an District", "key_account",
                 31.2235, 121.4465, "Gree GMV6 VRF outdoor unit, 28 kW",
                 "GMV6-2022-08114", "2022-08-18", 36, 6},
    [C_HUAXIN_DENTAL] = {"Huaxin Dental Clinic", "+86 21 5403 2216",
                         "1250 Zhaojiabang Road, Xuhui District",
                         "key_account", 31.1953, 121.4432,
                         "Sirona Intego dental treatment unit",
                         "INTEGO-2024-3318", "2024-04-09", 24, 3},
    [C_GAO] = {"Mr. Gao Jun", "+86 138 1762 4405",
               "Lane 399 Wanping South Road, Xuhui District", "regular",
               31.1890, 121.4380, "Midea 3.5 kW inverter split air conditioner",
               "KFR35-2020-558201", "2020-06-21", 36, 1},
    [C_LIN] = {"Ms. Lin Yue", "+86 139 1836 2271",
               "Lane 1088 Dongfang Road, Pudong New Area", "regular",
               31.2206, 121.5274, "Haier 10 kg front-loading washing machine",
               "HW100-2023-77342", "2023-11-02", 36, 1},
    [C_RIVERSIDE] = {"Riverside Supermarket", "+86 21 6588 1370",
                     "2100 Changning Road, Changning District",
                     "key_account", 31.2210, 121.4190,
                     "Walk-in cold room, 20 m3, Bitzer condensing unit",
                     "CR20-2021-0417", "2021-03-30", 24, 1},
    [C_GREEN_PARK] = {"Green Park Apartments", "+86 21 6431 7025",
                      "Lane 555 Gubei Road, Changning District", "regular",
                      31.1980, 121.4000, "Gree 2.6 kW split air conditioners",
                      "KFR26-2019-GP24", "2019-05-15", 12, 24},
    [C_XU_DENTAL] = {"Dr. Xu Dental Practice", "+86 21 6287 4490",
                     "356 Xiangyang South Road, Xuhui District", "regular",
                     31.2130, 121.4530, "Anthos A3 dental unit",
                     "A3-2025-1092", "2025-09-10", 24, 1},
    [C_HARBOUR_CAFE] = {"Harbour Cafe", "+86 21 6329 5518",
                        "17 Zhongshan East 2nd Road, Huangpu District",
                        "regular", 31.2330, 121.4920,
                        "Hoshizaki KM-80 ice machine", "KM-2022-3385",
                        "2022-02-14", 12, 1},
    [C_TANG] = {"Mrs. Tang Hui", "+86 136 2189 5530",
                "Lane 200 Siping Road, Hongkou District", "regular", 31.2690,
                121.5000, "Siemens refrigerator-freezer, 400 l",
                "KG-2024-90513", "2024-07-20", 24, 1},
    [C_EASTGATE] = {"Eastgate Office Tower", "+86 21 5879 6600",
                    "1000 Century Avenue, Pudong New Area", "key_account",
                    31.2300, 121.5300, "Schneider low-voltage main switchboard",
                    "LVSB-2018-0031", "2018-10-01", 24, 1},
    [C_HE] = {"Mr. He Bin", "+86 137 6188 0942",
              "Lane 81 Anshan Road, Yangpu District", "regular", 31.2860,
              121.5170, "Bosch freestanding dishwasher", "SMS-2025-44120",
              "2025-05-08", 24, 1},
    [C_BLUE_SKY] = {"Blue Sky Kindergarten", "+86 21 6473 1182",
                    "620 Yishan Road, Xuhui District", "regular", 31.1770,
                    121.4260, "Daikin Altherma 11 kW air-to-water heat pump",
                    "ERGA-2023-6120", "2023-09-01", 36, 1},
};

const struct demo_part_row demo_parts[P__COUNT] = {
    [P_COMPRESSOR] = {"CMP-RT35", "Rotary compressor for 3.5 kW split units",
                      62000, 98000, 1, 4, 0},
    [P_FAN_MOTOR] = {"FAN-OD60", "Outdoor fan motor, 60 W", 18000, 32000, 0,
                     8, 2},
    [P_VRF_BOARD] = {"PCB-GMV6", "Inverter board for VRF outdoor units",
                     185000, 290000, 1, 2, 0},
    [P_VALVE] = {"EEV-16", "Electronic expansion valve", 16000, 28000, 0, 0,
                 1},
    [P_GASKET] = {"GSK-CR2", "Cold-room door gasket, 2 m", 8500, 16000, 0,
                  12, 0},
    [P_DRAIN_PUMP] = {"PMP-DR30", "Drain pump for front-loading washers",
                      6000, 12000, 0, 10, 1},
    [P_SUCTION_HOSE] = {"HSE-SU16", "Suction hose for dental units, 16 mm",
                        9500, 18000, 0, 15, 2},
    [P_RCBO] = {"RCBO-C32", "Residual-current breaker (RCBO) C32, 30 mA",
                7500, 14500, 0, 20, 3},
};

#define JOB_FIELDS(c, k, s, lvl, prio, min, p, f)                          \
    .customer = c, .kind = k, .skill = s, .level = lvl, .priority = prio,   \
    .minutes = min, .part = p, .fault = f
/* customer, kind, skill, level, priority, minutes, part, fault */
#define JOB(...) {JOB_FIELDS(__VA_ARGS__)}
/* the same at hour h, minute m (local) */
#define AT(h, m, ...) {.at = (h) * 60 + (m), JOB_FIELDS(__VA_ARGS__)}

/* Jobs 1-16 are booked with their parts reserved (7 is done already,
 * priced by labour: demo_visit.c), 17-24 are requests
 * still to book (17 and 18 are what the browser tests book and quote; 22
 * waits for a back-ordered valve).  Repairs of units out of warranty
 * carry the call-out fee, which the customers booked by phone accepted. */
const struct demo_job demo_today[] = {
    JOB(C_HOTEL, "repair", "hvac", 3, 1, 90, P_NONE,
        "Outdoor unit 3 trips on high pressure (E4); guest floors 8-10 have"
        " no cooling"),
    JOB(C_HUAXIN_DENTAL, "repair", "dental", 3, 2, 60, P_SUCTION_HOSE,
        "Weak suction on chair 2; the suction hose is cracked at the"
        " spittoon valve"),
    JOB(C_RIVERSIDE, "repair", "refrigeration", 3, 1, 90, P_GASKET,
        "Cold room at +9 °C (set point +2 °C); door gasket torn, ice on the"
        " evaporator"),
    JOB(C_EASTGATE, "repair", "electrical", 3, 2, 60, P_RCBO,
        "Residual-current breaker on the 12th-floor board trips under load"),
    JOB(C_LIN, "repair", "appliance", 2, 3, 60, P_DRAIN_PUMP,
        "Washing machine stops mid-cycle with error F21; water stays in the"
        " drum"),
    JOB(C_XU_DENTAL, "maintenance", "dental", 2, 4, 90, P_NONE,
        "Annual service visit: water lines, suction and handpiece couplings"
        " of the dental unit"),
    JOB(C_HARBOUR_CAFE, "repair", "refrigeration", 2, 3, 60, P_NONE,
        "Ice machine makes thin, hollow cubes; the harvest cycle runs long"),
    JOB(C_GREEN_PARK, "repair", "hvac", 2, 3, 60, P_NONE,
        "Flat 12-0302: the split unit drips water down the wall"),
    JOB(C_BLUE_SKY, "repair", "hvac", 3, 2, 90, P_NONE,
        "Heat pump stops on a low-pressure alarm; the ground-floor"
        " classrooms are cold"),
    JOB(C_HOTEL, "maintenance", "hvac", 2, 4, 120, P_NONE,
        "Annual service visit: outdoor units 1 and 2, lobby cassette"
        " filters"),
    JOB(C_RIVERSIDE, "inspection", "refrigeration", 2, 4, 60, P_NONE,
        "Inspection: refrigerant leak check of the cold room for the F-gas"
        " log"),
    JOB(C_EASTGATE, "maintenance", "electrical", 2, 4, 90, P_NONE,
        "Annual service visit: main switchboard, terminal torque and breaker"
        " tests"),
    JOB(C_TANG, "repair", "appliance", 2, 3, 60, P_NONE,
        "Refrigerator compartment not cold; the freezer is fine, the fan is"
        " noisy"),
    JOB(C_HUAXIN_DENTAL, "inspection", "dental", 2, 5, 60, P_NONE,
        "Inspection: water lines and delivery unit of chair 3 before the"
        " health audit"),
    JOB(C_GREEN_PARK, "maintenance", "hvac", 1, 5, 120, P_NONE,
        "Annual service visit: split units of building 12 (filters, drains,"
        " coils)"),
    JOB(C_HE, "repair", "appliance", 2, 3, 60, P_NONE,
        "Dishwasher does not drain; error E24"),
    JOB(C_HARBOUR_CAFE, "maintenance", "refrigeration", 1, 4, 60, P_NONE,
        "Annual service visit: descale the ice machine, change the water"
        " filter"),
    JOB(C_GAO, "repair", "hvac", 2, 3, 60, P_NONE,
        "Air conditioner blows warm air; the outdoor fan does not turn"),
    JOB(C_HOTEL, "install", "hvac", 3, 4, 120, P_NONE,
        "Install: wall controller for the new meeting room's indoor unit"),
    JOB(C_EASTGATE, "repair", "electrical", 3, 2, 60, P_NONE,
        "Emergency lighting on floors 20-22 stays off after the monthly"
        " test"),
    JOB(C_XU_DENTAL, "repair", "dental", 3, 2, 60, P_NONE,
        "The dental chair does not rise; the hydraulic pump hums"),
    /* the valve is out of stock: back-ordered, offered from its day */
    {JOB_FIELDS(C_GREEN_PARK, "repair", "hvac", 1, 3, 60, P_VALVE,
                "Flat 7-1101: the split unit does not start; the remote"
                " shows no error; the expansion valve is stuck"),
     .back_order_days = 3},
    JOB(C_BLUE_SKY, "maintenance", "hvac", 2, 4, 90, P_NONE,
        "Annual service visit: the heat pump before winter (defrost,"
        " circulation pump, water pressure)"),
    JOB(C_RIVERSIDE, "install", "refrigeration", 2, 4, 60, P_NONE,
        "Install: remote temperature alarm on the cold room"),
};

/* Appointments booked for tomorrow: 25-32 ready, 33-36 still to book. */
const struct demo_job demo_tomorrow[] = {
    AT(8, 0, C_EASTGATE, "inspection", "electrical", 2, 4, 60, P_NONE,
       "Inspection: quarterly test of the residual-current devices, floors"
       " 1-10"),
    AT(8, 30, C_HUAXIN_DENTAL, "maintenance", "dental", 2, 4, 90, P_NONE,
       "Annual service visit: chairs 1 and 2 (suction, water lines,"
       " handpieces)"),
    AT(9, 0, C_GREEN_PARK, "repair", "hvac", 2, 3, 60, P_NONE,
       "Flat 3-0601: the split unit smells musty and leaks water"),
    AT(9, 30, C_RIVERSIDE, "maintenance", "refrigeration", 2, 4, 90, P_NONE,
       "Annual service visit: cold-room condensing unit, coils and drains"),
    AT(10, 0, C_TANG, "inspection", "appliance", 1, 5, 45, P_NONE,
       "Inspection: refrigerator door seal and thermostat after yesterday's"
       " repair"),
    AT(14, 0, C_EASTGATE, "repair", "electrical", 2, 3, 60, P_NONE,
       "Pantry sockets on the 5th floor keep tripping their breaker"),
    AT(15, 0, C_BLUE_SKY, "inspection", "hvac", 2, 4, 60, P_NONE,
       "Inspection: heat pump pressures after yesterday's low-pressure"
       " repair"),
    AT(16, 0, C_HARBOUR_CAFE, "repair", "refrigeration", 2, 3, 60, P_NONE,
       "Water pools under the ice machine; its drain line may be blocked"),
    AT(10, 30, C_XU_DENTAL, "repair", "dental", 2, 3, 60, P_NONE,
       "The operating light of the dental unit flickers"),
    AT(11, 0, C_HOTEL, "install", "hvac", 3, 4, 120, P_NONE,
       "Install: replacement indoor cassette in room 1208"),
    AT(14, 30, C_LIN, "inspection", "appliance", 1, 5, 45, P_NONE,
       "Inspection: drum noise at spin after yesterday's drain-pump change"),
    AT(17, 0, C_GREEN_PARK, "install", "hvac", 2, 4, 120, P_NONE,
       "Install: split unit in the management office, replacing the 2011"
       " unit"),
};

_Static_assert(sizeof demo_today / sizeof demo_today[0] == DEMO_TODAY_JOBS,
               "DEMO_TODAY_JOBS jobs today");
_Static_assert(sizeof demo_tomorrow / sizeof demo_tomorrow[0] ==
                   DEMO_TOMORROW_JOBS,
               "DEMO_TOMORROW_JOBS jobs tomorrow");
