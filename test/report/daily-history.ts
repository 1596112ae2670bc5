/** The daily report's hand-built history (also the quality report's): one day, 5 December 2023, in three old communes. */
import { childRows, type Row } from './histories.js';

export const DAY = '2023-12-05';

const child: Row = { full_name: 'Trần Thị Bé', birth_date: '01/03/2023', sex: 'Nữ', phone: '0912000001', commune_code: '00001', facility_code: 'TYT1' };
export const DAILY_ROWS: Row[] = [
  ...childRows('C1', child, [
    ['BCG', 1, '01/03/2023'], ['VGB sơ sinh', 1, '01/03/2023'],
    ['5 trong 1', 1, '01/05/2023'], ['OPV', 1, '01/05/2023'], ['5 trong 1', 2, '01/06/2023'], ['OPV', 2, '01/06/2023'],
    ['5 trong 1', 3, '03/07/2023'], ['OPV', 3, '03/07/2023'], ['IPV', 1, '01/08/2023'], ['Sởi', 1, '05/12/2023'],
  ], { screening_result: 'Đủ điều kiện tiêm' }),
  // an adult completing the primary series that day
  { record_id: 'A1-1', full_name: 'Nguyễn Văn An', birth_date: '15/03/1980', sex: 'Nam', citizen_id: '001080012345', phone: '0912000002', commune_code: '00037', vaccine: 'Pfizer', dose_number: '1', vaccination_date: '14/11/2023', facility_code: 'TYT2' },
  { record_id: 'A1-2', full_name: 'Nguyễn Văn An', birth_date: '15/03/1980', sex: 'Nam', citizen_id: '001080012345', phone: '0912000002', commune_code: '00037', vaccine: 'Pfizer', dose_number: '2', vaccination_date: '05/12/2023', facility_code: 'TYT2', screening_result: 'đủ điều kiện tiêm' },
  // a first dose with a common reaction
  { record_id: 'A2-1', full_name: 'Lê Thị Bình', birth_date: '02/02/1990', sex: 'Nữ', citizen_id: '001190054321', phone: '0912000003', commune_code: '00037', vaccine: 'Pfizer', dose_number: '1', vaccination_date: '05/12/2023', facility_code: 'TYT2', adverse_event: 'sốt nhẹ', adverse_event_severity: 'Thông thường', screening_result: 'Đủ điều kiện tiêm' },
  // one injection reported twice, one report saying the reaction was serious: one dose, one serious AEFI
  { record_id: 'A3-1', full_name: 'Phạm Văn Cường', birth_date: '03/03/1975', sex: 'Nam', citizen_id: '001075011111', phone: '0912000004', commune_code: '00006', vaccine: 'AZ', dose_number: '1', vaccination_date: '05/12/2023', facility_code: 'TYT1', adverse_event: 'khó thở' },
  { record_id: 'A3-2', full_name: 'Phạm Văn Cường', birth_date: '03/03/1975', sex: 'Nam', citizen_id: '001075011111', phone: '0912000004', commune_code: '00006', vaccine: 'AZ', dose_number: '1', vaccination_date: '05/12/2023', facility_code: 'TYT1', adverse_event: 'khó thở', adverse_event_severity: 'nặng' },
  // an earlier dose of another day: cumulative only
  { record_id: 'A4-1', full_name: 'Hoàng Thị Dung', birth_date: '04/04/1985', sex: 'Nữ', citizen_id: '001185022222', phone: '0912000005', commune_code: '00006', vaccine: 'AZ', dose_number: '1', vaccination_date: '01/12/2023', facility_code: 'TYT1' },
  // screened, not vaccinated: no vaccination date, counted on the day the file was loaded
  { record_id: 'S1', full_name: 'Đỗ Văn Em', birth_date: '05/05/1970', sex: 'Nam', citizen_id: '001070033333', phone: '0912000006', commune_code: '00001', facility_code: 'TYT1', screening_result: 'Tạm hoãn' },
  { record_id: 'S2', full_name: 'Vũ Thị Giang', birth_date: '06/06/1960', sex: 'Nữ', citizen_id: '001160044444', phone: '0912000007', commune_code: '00006', facility_code: 'TYT1', screening_result: 'Chống chỉ định' },
  // rejected (no usable name) and waiting for correction (an impossible citizen ID)
  { record_id: 'R1', full_name: '', birth_date: '07/07/1991', commune_code: '00001', vaccine: 'AZ', dose_number: '1', vaccination_date: '05/12/2023', facility_code: 'TYT1' },
  { record_id: 'R2', full_name: 'Bùi Văn Hải', birth_date: '08/08/1992', sex: 'Nam', citizen_id: '12345', phone: '0912000008', commune_code: '00037', vaccine: 'AZ', dose_number: '1', vaccination_date: '05/12/2023', facility_code: 'TYT2' },
];

